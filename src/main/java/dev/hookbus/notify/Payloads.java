package dev.hookbus.notify;

import dev.hookbus.config.WebhookConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The request body each webhook format gets for a notice, and where it goes. Pure: the tests compare these bodies
 * byte for byte with what a recording server received.
 */
final class Payloads {
  /** ntfy keeps messages up to 4 096 bytes; a notification is read on a lock screen anyway. */
  private static final int MAX_MESSAGE_CHARS = 1_000;

  private Payloads() {
  }

  /** One POST: its URL and JSON body. */
  record Post(String url, JsonObject body) {
  }

  static Post of(WebhookConfig webhook, Notice notice, Links links) {
    return switch (webhook.format()) {
      case "ntfy" -> ntfy(webhook, notice, links);
      case "slack" -> new Post(webhook.url(), slack(notice, links));
      default -> new Post(webhook.url(), json(notice, links));
    };
  }

  /** The envelope as browsers get it, and a summary a script can show without knowing every event type. */
  static JsonObject json(Notice notice, Links links) {
    JsonObject body = new JsonObject()
        .put("event", notice.event())
        .put("title", notice.title())
        .put("summary", notice.message())
        .put("priority", notice.priority())
        .put("sessionId", notice.sessionId())
        .put("agentId", notice.agentId())
        .put("dashboardUrl", links.dashboard());
    if (notice.approvalId() != null) {
      body.put("approvalId", notice.approvalId()).put("decideUrl", links.decide(notice.approvalId()));
    }
    if (notice.waitedMs() != null) {
      body.put("waitedMs", notice.waitedMs());
    }
    return body.put("envelope", notice.envelope());
  }

  /**
   * ntfy's JSON publishing: POSTed to the server's root with the topic in the body (the webhook's URL is the topic's
   * URL, {@code https://ntfy.sh/my-topic}). A pending approval gets Allow / Deny "http" actions when the webhook has
   * a decide token: the phone then calls the decide route itself, with that token.
   */
  static Post ntfy(WebhookConfig webhook, Notice notice, Links links) {
    String url = webhook.url().replaceAll("/+$", "");
    int slash = url.lastIndexOf('/');
    JsonObject body = new JsonObject()
        .put("topic", url.substring(slash + 1))
        .put("title", notice.title())
        .put("message", cut(notice.message()))
        .put("priority", notice.priority())
        .put("click", links.dashboard());
    if (webhook.token() != null && WebhookConfig.APPROVAL_PENDING.equals(notice.event())
        && notice.approvalId() != null) {
      String decideUrl = links.decide(notice.approvalId());
      body.put("actions", new JsonArray()
          .add(decideAction("Allow", decideUrl, webhook.token(), new JsonObject().put("behavior", "allow")))
          .add(decideAction("Deny", decideUrl, webhook.token(), new JsonObject().put("behavior", "deny")
              .put("message", "Denied from a phone notification"))));
    }
    return new Post(url.substring(0, slash + 1), body);
  }

  private static JsonObject decideAction(String label, String url, String token, JsonObject decision) {
    return new JsonObject()
        .put("action", "http")
        .put("label", label)
        .put("url", url)
        .put("method", "POST")
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)
            .put("Content-Type", "application/json"))
        .put("body", decision.encode())
        .put("clear", true);
  }

  /** A Slack incoming webhook: {@code text} for the notification itself, blocks for the message in the channel. */
  static JsonObject slack(Notice notice, Links links) {
    String title = escapeSlack(notice.title());
    String message = escapeSlack(cut(notice.message()));
    return new JsonObject()
        .put("text", title + ": " + message)
        .put("blocks", new JsonArray()
            .add(new JsonObject().put("type", "section").put("text", new JsonObject()
                .put("type", "mrkdwn").put("text", "*" + title + "*\n" + message)))
            .add(new JsonObject().put("type", "context").put("elements", new JsonArray()
                .add(new JsonObject().put("type", "mrkdwn").put("text", "<" + links.dashboard()
                    + "|Open the dashboard> · session `" + escapeSlack(notice.sessionId()) + "`")))));
  }

  /** Slack's three control characters in text (https://api.slack.com/reference/surfaces/formatting#escaping). */
  private static String escapeSlack(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text) {
    if (text == null || text.length() <= MAX_MESSAGE_CHARS) {
      return text == null ? "" : text;
    }
    return text.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
