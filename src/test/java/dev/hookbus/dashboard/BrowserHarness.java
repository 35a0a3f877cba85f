package dev.hookbus.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one browser setup of the dashboard tests: Debian's headless Chromium driven by Playwright (never a downloaded
 * browser), launched once per test class (registered as its extension: {@code @RegisterExtension static final}); pages in contexts of their own (no shared cookies or cache), their
 * console errors collected, closed after each test with {@link #closePages()}; screenshots to target/screenshots.
 */
final class BrowserHarness implements AfterEachCallback, AfterAllCallback, AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  private final Playwright playwright;
  private final Browser browser;
  private final List<BrowserContext> contexts = new ArrayList<>();
  private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

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

  /** A fresh page on the dashboard at {@code port}; its console errors and page errors go to {@link #consoleErrors}. */
  Page open(int port, int width, int height, ColorScheme scheme) {
    Page page = blank(width, height, scheme);
    page.navigate("http://127.0.0.1:" + port + "/");
    return page;
  }

  /** A fresh page as {@link #open} makes it, not navigated yet. */
  Page blank(int width, int height, ColorScheme scheme) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(width, height).setColorScheme(scheme));
    contexts.add(context);
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      if (message.type().equals("error")) {
        consoleErrors.add(message.text());
      }
    });
    page.onPageError(consoleErrors::add);
    return page;
  }

  /** The console errors of every page opened since the last {@link #closePages()}. */
  List<String> consoleErrors() {
    return consoleErrors;
  }

  void assertNoConsoleErrors() {
    assertThat(consoleErrors).isEmpty();
  }

  void screenshot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)));
  }

  void fullPageScreenshot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
  }

  /** Closes the pages of this test and forgets their console errors: the next test starts clean. */
  void closePages() {
    contexts.forEach(BrowserContext::close);
    contexts.clear();
    consoleErrors.clear();
  }

  /** As a JUnit extension ({@code @RegisterExtension static final}): pages closed after each test. */
  @Override
  public void afterEach(ExtensionContext context) {
    closePages();
  }

  /** ...and the browser after the class. */
  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    closePages();
    browser.close();
    playwright.close();
  }

  static JsonObject event(String type, String sessionId, Object... payloadPairs) {
    JsonObject payload = new JsonObject().put("sessionId", sessionId);
    for (int i = 0; i < payloadPairs.length; i += 2) {
      payload.put((String) payloadPairs[i], payloadPairs[i + 1]);
    }
    return new JsonObject().put("type", type).put("payload", payload);
  }
}
