package dev.hookbus.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subcommands of {@code java -jar hookbus.jar}: {@code hooks install|uninstall|print}, {@code statusline
 * install|uninstall} and {@code doctor}. Output goes to the streams given, for the person at the terminal.
 * {@code --home} and {@code --project} (or the system properties {@code hookbus.home}, {@code hookbus.project})
 * say where the user and project settings live; they default to the home and the current directory.
 */
public final class Cli {
  public static final String DEFAULT_URL = "http://127.0.0.1:3847";
  private static final Set<String> COMMANDS = Set.of("hooks", "statusline", "doctor");
  private static final String USAGE = """
      usage: java -jar hookbus.jar hooks install   [--scope user|project|local] [--url URL] [--token-env VAR]
             java -jar hookbus.jar hooks uninstall [--scope user|project|local]
             java -jar hookbus.jar hooks print     [--url URL] [--token-env VAR]
             java -jar hookbus.jar statusline install|uninstall [--scope user|project|local] [--url URL]
             java -jar hookbus.jar doctor [--url URL] [--bridge-url URL]
      URL is the ingest server (default %s). --home DIR and --project DIR override where settings are found.
      """.formatted(DEFAULT_URL);

  private final PrintStream out;
  private final PrintStream err;

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** True when {@code args} name a subcommand rather than server options. */
  public static boolean handles(String[] args) {
    return args.length > 0 && COMMANDS.contains(args[0]);
  }

  /** Runs one subcommand; returns the process exit code. */
  public int run(String[] args) {
    try {
      Map<String, String> options = options(args);
      String command = args[0] + (args.length > 1 && !args[1].startsWith("--") ? " " + args[1] : "");
      return switch (command) {
        case "hooks install" -> hooks(options, true);
        case "hooks uninstall" -> hooks(options, false);
        case "hooks print" -> print(options);
        case "statusline install" -> statusLine(options, true);
        case "statusline uninstall" -> statusLine(options, false);
        case "doctor" -> new Doctor(out).run(url(options), options.get("bridge-url"), List.of(
            settings("user", options), settings("project", options), settings("local", options)));
        default -> usage("unknown command: " + String.join(" ", args));
      };
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("hookbus: " + e.getMessage());
      return 2;
    }
  }

  private int hooks(Map<String, String> options, boolean install) {
    Path path = settings(options.getOrDefault("scope", "user"), options);
    SettingsFile file = SettingsFile.read(path);
    JsonObject settings = file.json();
    boolean hadOurs = HooksInstaller.holdsOurs(settings);
    List<String> changes = install ? HooksInstaller.install(settings, url(options), tokenEnv(options))
        : HooksInstaller.uninstall(settings);
    return apply(file, settings, changes, hadOurs, install);
  }

  private int statusLine(Map<String, String> options, boolean install) {
    Path path = settings(options.getOrDefault("scope", "user"), options);
    SettingsFile file = SettingsFile.read(path);
    JsonObject settings = file.json();
    boolean hadOurs = StatusLineInstaller.isOurs(settings) || HooksInstaller.holdsOurs(settings);
    String change = install ? StatusLineInstaller.install(settings, url(options))
        : StatusLineInstaller.uninstall(settings);
    return apply(file, settings, change == null ? List.of() : List.of(change), hadOurs, install);
  }

  private int apply(SettingsFile file, JsonObject settings, List<String> changes, boolean hadOurs, boolean install) {
    if (changes.isEmpty() || file.unchanged(settings)) {
      out.println(file.path + ": nothing to change" + (install ? " (hookbus is already installed)" : ""));
      return 0;
    }
    changes.forEach(out::println);
    if (install) {
      file.write(settings, hadOurs);
      out.println("wrote " + file.path + (file.exists() ? " (backup: " + file.backupPath().getFileName() + ")" : ""));
    } else {
      out.println(file.writeRemoval(settings));
    }
    return 0;
  }

  private int print(Map<String, String> options) {
    out.print(JsonText.pretty(new JsonObject().put("hooks", HooksInstaller.desired(url(options), tokenEnv(options)))));
    return 0;
  }

  private int usage(String problem) {
    err.println("hookbus: " + problem);
    err.print(USAGE);
    return 2;
  }

  private static String url(Map<String, String> options) {
    String url = options.getOrDefault("url", DEFAULT_URL);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("--url must start with http:// or https://, got " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The name of the environment variable that holds the ingest token (never the token itself). */
  private static String tokenEnv(Map<String, String> options) {
    String name = options.get("token-env");
    if (name != null && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--token-env takes an environment variable name, got " + name);
    }
    return name;
  }

  private static Path settings(String scope, Map<String, String> options) {
    Path home = Path.of(options.getOrDefault("home", System.getProperty("hookbus.home",
        System.getProperty("user.home"))));
    Path project = Path.of(options.getOrDefault("project", System.getProperty("hookbus.project",
        System.getProperty("user.dir"))));
    return SettingsFile.locate(scope, home, project);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (i == 1) {
          continue;
        }
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      if (!Set.of("scope", "url", "home", "project", "bridge-url", "token-env").contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      options.put(name, value);
    }
    return options;
  }
}
