package dev.hookbus.config;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * One place notifications go ({@code notify.webhooks[]}).
 *
 * @param url           where to POST; for {@code ntfy} the topic's URL ({@code https://ntfy.sh/my-topic})
 * @param format        {@code json} (the envelope and a summary), {@code ntfy} or {@code slack} (an incoming webhook)
 * @param events        which notifications this webhook wants, from {@link #EVENTS}
 * @param afterMs       how long a session must have waited before {@code waiting}, {@code input} and
 *                      {@code approval:pending} are sent (once per wait)
 * @param token         a viewer token allowed {@code hookbus.approvals.decide}: with it, ntfy notifications of a
 *                      pending approval carry Allow / Deny buttons that decide with it; null for none
 * @param authorization the {@code Authorization} header value the webhook itself needs (an ntfy access token as
 *                      {@code Bearer tk_…}); null for none
 */
public record WebhookConfig(String url, String format, List<String> events, long afterMs, String token,
                            String authorization) {

  public static final String WAITING = "waiting";
  public static final String INPUT = "input";
  public static final String APPROVAL_PENDING = "approval:pending";
  public static final String APPROVAL_DECIDED = "approval:decided";
  public static final String ERROR = "error";
  public static final String CONTEXT = "context";
  public static final Set<String> EVENTS = Set.of(WAITING, INPUT, APPROVAL_PENDING, APPROVAL_DECIDED, ERROR, CONTEXT);
  public static final Set<String> FORMATS = Set.of("json", "ntfy", "slack");
  static final List<String> DEFAULT_EVENTS = List.of(WAITING, APPROVAL_PENDING, APPROVAL_DECIDED, ERROR, CONTEXT);

  static WebhookConfig from(Section parent, Object item) {
    if (!(item instanceof JsonObject json)) {
      throw new ConfigException(parent.key("webhooks") + " must hold objects {url, format, events, afterMs, token}");
    }
    Section s = new Section(parent.key("webhooks[]"), json);
    String url = s.string("url", null);
    if (url == null || !isHttpUrl(url)) {
      throw new ConfigException(s.key("url") + " must be an http:// or https:// URL, got "
          + Section.describe(json.getValue("url")));
    }
    List<String> events = s.strings("events", DEFAULT_EVENTS);
    for (String event : events) {
      if (!EVENTS.contains(event)) {
        throw new ConfigException(s.key("events") + " may hold " + EVENTS + ", got \"" + event + "\"");
      }
    }
    WebhookConfig webhook = new WebhookConfig(url, s.oneOf("format", "json", FORMATS), events,
        s.longValue("afterMs", 30_000, 0, 86_400_000), s.string("token", null), s.string("authorization", null));
    s.done();
    return webhook;
  }

  static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  public boolean wants(String event) {
    return events.contains(event);
  }

  @Override
  public String toString() {
    return "WebhookConfig[" + format + " " + url + ", events=" + events + ", afterMs=" + afterMs
        + (token == null ? "" : ", token=***") + (authorization == null ? "" : ", authorization=***") + "]";
  }
}
