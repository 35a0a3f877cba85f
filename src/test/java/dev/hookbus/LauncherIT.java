package dev.hookbus;

import dev.hookbus.support.HookbusProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/hookbus}, the README's start command, on the packaged jar (a copy, so the build's own class archive is
 * left alone): it makes the class archive once, uses it from then on, and passes every argument to hookbus.
 */
class LauncherIT {
  private static final Path JAR = Path.of(System.getProperty("hookbus.jar", "target/hookbus.jar"));

  @TempDir
  Path dir;

  @Test
  @DisplayName("bin/hookbus starts hookbus with its JVM settings, makes the class archive on the first start, "
      + "uses it on the next, and stops cleanly on SIGTERM")
  void startsWithItsSettings() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.copy(Path.of("bin", "hookbus"), bin.resolve("hookbus"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(JAR, target.resolve("hookbus.jar"));
    String config = new JsonObject().put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString())).encode();

    for (int start = 1; start <= 2; start++) {
      // -Xshare:on on the second start: the JVM refuses to start unless it can map the archive, so it proves use.
      try (HookbusProcess hookbus = HookbusProcess.launch().launcher(bin.resolve("hookbus"))
          .jvmOptions(start == 1 ? "" : "-Xshare:on")
          .under(dir).config(config).start()) {
        assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
        assertThat(archives(target)).singleElement().satisfies(a -> assertThat(Files.size(a)).isPositive());
        assertThat(hookbus.log()).doesNotContain("[warning]").doesNotContain("Unable to use shared archive");
        hookbus.sigterm();
        assertThat(hookbus.waitForExit()).isZero();
      }
    }
    Process version = new ProcessBuilder(bin.resolve("hookbus").toString(), "--version").redirectErrorStream(true)
        .start();
    String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(version.waitFor()).isZero();
    assertThat(printed).startsWith("hookbus ");
  }

  /** The class archives next to the jar: one per JVM build that ran it. */
  private static List<Path> archives(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }
}
