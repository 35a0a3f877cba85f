package dev.hookbus.bench;

import dev.hookbus.support.HookbusProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * hookbus started as the README starts it, through {@code bin/hookbus} (its JVM settings and class archive), on
 * free loopback ports, in a temp working directory (so its data dir and any relative path land there, and go with
 * it at {@link #close()}).
 */
public final class ServerProcess implements Target {
  private static final String LOOPBACK_ON_FREE_PORTS =
      "{\"ingest\":{\"host\":\"127.0.0.1\",\"port\":0},\"bridge\":{\"host\":\"127.0.0.1\",\"port\":0}}";

  private final HookbusProcess process;

  private ServerProcess(HookbusProcess process) {
    this.process = process;
  }

  /**
   * @param jar     the jar {@code bin/hookbus} runs ({@code HOOKBUS_JAR})
   * @param jvmOpts whitespace-separated JVM options added after the launcher's own ({@code --server-opts})
   * @param env     whitespace-separated {@code KEY=value} pairs ({@code --server-env})
   */
  public static ServerProcess start(String jar, String jvmOpts, String env) throws IOException, InterruptedException {
    Path launcher = Path.of("bin", "hookbus");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher.toAbsolutePath() + " not found: run the benchmark from the project root");
    }
    HookbusProcess process = HookbusProcess.launch().launcher(launcher)
        .env(Map.of("HOOKBUS_JAR", Path.of(jar).toAbsolutePath().toString())).jvmOptions(jvmOpts).env(env)
        .config(LOOPBACK_ON_FREE_PORTS).start();
    if (!process.listening()) {
      String log = process.log();
      process.close();
      throw new IllegalStateException("hookbus did not start: " + log);
    }
    return new ServerProcess(process);
  }

  @Override
  public int ingestPort() {
    return process.ingestPort();
  }

  @Override
  public int bridgePort() {
    return process.bridgePort();
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean fullGc() {
    try {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public Path log() {
    return process.logFile();
  }

  /** Stops hookbus and removes its working directory (journal and log). */
  @Override
  public void close() {
    process.close();
  }
}
