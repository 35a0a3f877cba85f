package dev.hookbus.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven by Playwright (never a downloaded browser), plus the small helpers the
 * dashboard tests share: open the page, POST events, build events.
 */
final class BrowserHarness implements AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  private final Playwright playwright;
  private final Browser browser;

  BrowserHarness() {
    this(List.of());
  }

  /** With extra Chromium switches, for example {@code --host-resolver-rules} to play a DNS-rebinding page. */
  BrowserHarness(List<String> extraArgs) {
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    List<String> args = new ArrayList<>(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"));
    args.addAll(extraArgs);
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(args));
  }

  /** A fresh page (own context: no shared cookies or cache) that records console errors into {@code errors}. */
  Page open(int port, List<String> errors, int width, int height, ColorScheme scheme) {
    Page page = blank(errors, width, height, scheme);
    page.navigate("http://127.0.0.1:" + port + "/");
    return page;
  }

  /** A fresh page as {@link #open} makes it, not navigated yet. */
  Page blank(List<String> errors, int width, int height, ColorScheme scheme) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(width, height).setColorScheme(scheme));
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      if (message.type().equals("error")) {
        errors.add(message.text());
      }
    });
    page.onPageError(errors::add);
    return page;
  }

  static List<String> errors() {
    return new CopyOnWriteArrayList<>();
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }

  /** POSTs a batch to ingest and returns the seq of each event. */
  static List<Long> post(WebClient client, int ingestPort, JsonObject... events) {
    JsonArray batch = new JsonArray(List.of((Object[]) events));
    JsonObject reply = await(client.post(ingestPort, "127.0.0.1", "/api/events").sendJson(batch)
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException(
                "ingest answered " + response.statusCode() + ": " + response.bodyAsString());
          }
          return response.bodyAsJsonObject();
        }));
    List<Long> seqs = new ArrayList<>();
    reply.getJsonArray("seqs").forEach(seq -> seqs.add(((Number) seq).longValue()));
    return seqs;
  }

  static JsonObject event(String type, String sessionId, Object... payloadPairs) {
    JsonObject payload = new JsonObject().put("sessionId", sessionId);
    for (int i = 0; i < payloadPairs.length; i += 2) {
      payload.put((String) payloadPairs[i], payloadPairs[i + 1]);
    }
    return new JsonObject().put("type", type).put("payload", payload);
  }

  /** Blocks the JUnit thread (never an event loop) on a Vert.x future. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
