package dev.hookbus.notify;

import io.vertx.core.json.JsonObject;

/**
 * One thing worth telling a person, before it is shaped for a webhook's format.
 *
 * @param event      the {@code notify.webhooks[].events} name it is sent for ({@code waiting}, {@code error}, …)
 * @param title      one short line: what happened where
 * @param message    the detail: the tool and its input, the error, the question
 * @param priority   ntfy's scale, 1 (min) to 5 (max)
 * @param approvalId the pending or decided approval it is about; null for the others
 * @param waitedMs   how long the session had waited when it was sent; null when it is not about a wait
 * @param envelope   the envelope it came from, as browsers get it
 */
record Notice(String event, String sessionId, String agentId, String title, String message, int priority,
              String approvalId, Long waitedMs, JsonObject envelope) {
}
