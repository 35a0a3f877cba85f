package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A local stand-in for the Anthropic Messages API that Claude Code talks to ({@code ANTHROPIC_BASE_URL}), on a free
 * port. It plays one scripted conversation: the first model turn asks for a {@code tool_use} of Bash with the given
 * command; once a request carries that tool's {@code tool_result}, the model answers with the given text. Replies
 * stream as server-sent events ({@code message_start}, {@code content_block_start}, {@code content_block_delta},
 * {@code content_block_stop}, {@code message_delta}, {@code message_stop}) when the request asks for
 * {@code stream: true}, else come as one message. Everything else Claude Code calls (count_tokens, models, …) gets a
 * minimal answer. Every request is recorded, so a test can read what the model was shown.
 * {@link #startWithSubagent} scripts one level more: the model hands the command to a subagent (the Agent tool),
 * whose own conversation runs the Bash call and reports back.
 */
public final class MockAnthropic implements AutoCloseable {
  public static final String TOOL_USE_ID = "toolu_hookbus_e2e_1";
  public static final String AGENT_TOOL_USE_ID = "toolu_hookbus_e2e_agent";
  public static final String SUBAGENT_REPLY = "The subagent ran it.";
  public static final String MODEL = "claude-mock-e2e";
  /** In the subagent's prompt, so its requests are told from the main conversation's. */
  static final String SUBAGENT_MARKER = "[hookbus-e2e subagent]";

  private final HttpServer server;
  private final String command;
  private final String finalText;
  private final boolean delegate;
  /** With {@link #startWithTools}: the tool calls to make, one per turn, in order; else null. */
  private final List<ToolUse> script;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger messageIds = new AtomicInteger();

  /** One request as it arrived: method, path with query, headers, and the body (null when it was not JSON). */
  public record Recorded(String method, String path, Map<String, String> headers, JsonObject body) {
    public boolean isMessages() {
      return "POST".equals(method) && path.startsWith("/v1/messages") && !path.contains("count_tokens");
    }

    /** The {@code tool_result} blocks of the last message: what the model is shown of the tool it asked for. */
    public List<JsonObject> toolResults() {
      JsonArray messages = body == null ? null : body.getJsonArray("messages");
      if (messages == null || messages.isEmpty()
          || !(messages.getJsonObject(messages.size() - 1).getValue("content") instanceof JsonArray content)) {
        return List.of();
      }
      return content.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(block -> "tool_result".equals(block.getString("type"))).toList();
    }
  }

  /** One scripted {@code tool_use} block: its id (each one's result is looked for by it), tool name and input. */
  public record ToolUse(String id, String name, JsonObject input) {
    public static ToolUse bash(String id, String command) {
      return new ToolUse(id, "Bash", new JsonObject().put("command", command).put("description", "Run the test's command"));
    }
  }

  private MockAnthropic(Vertx vertx, String command, String finalText, boolean delegate, List<ToolUse> script) {
    this.command = command;
    this.finalText = finalText;
    this.delegate = delegate;
    this.script = script == null ? null : List.copyOf(script);
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  /**
   * The model makes {@code uses} one per turn (the next once the previous one's result is back, whether the tool ran
   * or was refused), then says {@code finalText}. Any tool name, an MCP server's ({@code mcp__<server>__<tool>}) too.
   */
  public static Future<MockAnthropic> startWithTools(Vertx vertx, List<ToolUse> uses, String finalText) {
    return listen(new MockAnthropic(vertx, null, finalText, false, uses));
  }

  /** Starts on a free loopback port: the model runs {@code command} with Bash, then says {@code finalText}. */
  public static Future<MockAnthropic> start(Vertx vertx, String command, String finalText) {
    return listen(new MockAnthropic(vertx, command, finalText, false, null));
  }

  /**
   * The model asks a general-purpose subagent to run {@code command}; the subagent runs it with Bash and answers
   * {@link #SUBAGENT_REPLY}; once the Agent tool's result is back, the model says {@code finalText}.
   */
  public static Future<MockAnthropic> startWithSubagent(Vertx vertx, String command, String finalText) {
    return listen(new MockAnthropic(vertx, command, finalText, true, null));
  }

  private static Future<MockAnthropic> listen(MockAnthropic mock) {
    return mock.server.listen(0, "127.0.0.1").map(listening -> mock);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** The Messages API calls (the model turns), in order. */
  public List<Recorded> messageRequests() {
    return requests.stream().filter(Recorded::isMessages).toList();
  }

  /** Every tool result the model was shown, in order. */
  public List<JsonObject> toolResults() {
    return messageRequests().stream().flatMap(r -> r.toolResults().stream()).toList();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      JsonObject body = null;
      if (buffer.length() > 0) {
        try {
          body = buffer.toJsonObject();
        } catch (RuntimeException notJson) {
          // recorded without a body
        }
      }
      Recorded recorded = new Recorded(request.method().name(), request.uri(), headers(request.headers()), body);
      requests.add(recorded);
      answer(request, recorded);
    });
  }

  private void answer(HttpServerRequest request, Recorded recorded) {
    if (recorded.path().contains("count_tokens")) {
      json(request, new JsonObject().put("input_tokens", 16));
    } else if (recorded.isMessages() && recorded.body() != null) {
      JsonObject turn = nextTurn(recorded);
      if (recorded.body().getBoolean("stream", false)) {
        stream(request, turn);
      } else {
        json(request, turn);
      }
    } else if ("GET".equals(recorded.method()) && recorded.path().startsWith("/v1/models")) {
      json(request, new JsonObject().put("data", new JsonArray()).put("has_more", false));
    } else {
      json(request, new JsonObject());
    }
  }

  /** The whole assistant message of this turn: the tool until its result came back, then the text. */
  private JsonObject nextTurn(Recorded recorded) {
    String conversation = recorded.body().getJsonArray("messages", new JsonArray()).encode();
    boolean offersBash = recorded.body().getJsonArray("tools", new JsonArray()).stream()
        .anyMatch(t -> t instanceof JsonObject tool && "Bash".equals(tool.getString("name")));
    JsonObject block;
    if (script != null) {
      // Claude Code's side calls (a title, a summary) offer no tools: only the conversation gets the script.
      boolean offersTools = !recorded.body().getJsonArray("tools", new JsonArray()).isEmpty();
      block = !offersTools ? text(finalText) : script.stream().filter(use -> !answered(conversation, use.id())).findFirst()
          .map(use -> new JsonObject().put("type", "tool_use").put("id", use.id()).put("name", use.name())
              .put("input", use.input()))
          .orElse(text(finalText));
    } else if (delegate && conversation.contains(SUBAGENT_MARKER) && !conversation.contains(AGENT_TOOL_USE_ID)) {
      block = answered(conversation, TOOL_USE_ID) ? text(SUBAGENT_REPLY) : bash();
    } else if (delegate) {
      block = answered(conversation, AGENT_TOOL_USE_ID) ? text(finalText) : agent();
    } else {
      block = offersBash && !answered(conversation, TOOL_USE_ID) ? bash() : text(finalText);
    }
    boolean useTool = "tool_use".equals(block.getString("type"));
    return new JsonObject().put("id", "msg_e2e_" + messageIds.incrementAndGet()).put("type", "message")
        .put("role", "assistant").put("model", recorded.body().getString("model", MODEL))
        .put("content", new JsonArray().add(block)).put("stop_reason", useTool ? "tool_use" : "end_turn")
        .putNull("stop_sequence").put("usage", new JsonObject().put("input_tokens", 20).put("output_tokens", 12));
  }

  /** Whether the conversation holds the result of the tool call {@code toolUseId}. */
  private static boolean answered(String conversation, String toolUseId) {
    return conversation.contains("\"tool_use_id\":\"" + toolUseId + "\"");
  }

  private JsonObject bash() {
    return new JsonObject().put("type", "tool_use").put("id", TOOL_USE_ID).put("name", "Bash")
        .put("input", new JsonObject().put("command", command).put("description", "Run the test's command"));
  }

  private JsonObject agent() {
    return new JsonObject().put("type", "tool_use").put("id", AGENT_TOOL_USE_ID).put("name", "Agent")
        .put("input", new JsonObject().put("description", "Run the test's command")
            .put("prompt", SUBAGENT_MARKER + " Run " + command + " with Bash.")
            .put("subagent_type", "general-purpose"));
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static void stream(HttpServerRequest request, JsonObject turn) {
    JsonObject block = turn.getJsonArray("content").getJsonObject(0);
    boolean toolUse = "tool_use".equals(block.getString("type"));
    JsonObject start = turn.copy().put("content", new JsonArray()).putNull("stop_reason")
        .put("usage", new JsonObject().put("input_tokens", 20).put("output_tokens", 1));
    JsonObject emptyBlock = toolUse ? block.copy().put("input", new JsonObject()) : block.copy().put("text", "");
    JsonObject delta = toolUse
        ? new JsonObject().put("type", "input_json_delta").put("partial_json", block.getJsonObject("input").encode())
        : new JsonObject().put("type", "text_delta").put("text", block.getString("text"));
    StringBuilder events = new StringBuilder()
        .append(sse("message_start", new JsonObject().put("message", start)))
        .append(sse("content_block_start", new JsonObject().put("index", 0).put("content_block", emptyBlock)))
        .append(sse("content_block_delta", new JsonObject().put("index", 0).put("delta", delta)))
        .append(sse("content_block_stop", new JsonObject().put("index", 0)))
        .append(sse("message_delta", new JsonObject()
            .put("delta", new JsonObject().put("stop_reason", turn.getString("stop_reason")).putNull("stop_sequence"))
            .put("usage", new JsonObject().put("output_tokens", 12))))
        .append(sse("message_stop", new JsonObject()));
    request.response().putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
        .end(events.toString());
  }

  private static String sse(String type, JsonObject data) {
    JsonObject typed = new JsonObject().put("type", type).mergeIn(data);
    return "event: " + type + "\ndata: " + typed.encode() + "\n\n";
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("content-type", "application/json").end(body.encode());
  }

  private static Map<String, String> headers(MultiMap headers) {
    return headers.entries().stream().collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue,
        (first, second) -> first + ", " + second));
  }

  @Override
  public void close() {
    server.close();
  }
}
