package dev.hookbus.bench;

import dev.hookbus.support.HookbusProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * hookbus started from its jar by {@link HookbusProcess}, on free loopback ports, in a temp working directory
 * (so its data dir and any relative path land there, and go with it at {@link #close()}).
 */
public final class ServerProcess implements Target {
  private static final String LOOPBACK_ON_FREE_PORTS =
      "{\"ingest\":{\"host\":\"127.0.0.1\",\"port\":0},\"bridge\":{\"host\":\"127.0.0.1\",\"port\":0}}";

  private final HookbusProcess process;

  private ServerProcess(HookbusProcess process) {
    this.process = process;
  }

  /**
   * @param jvmOpts whitespace-separated JVM options ({@code --server-opts})
   * @param env     whitespace-separated {@code KEY=value} pairs ({@code --server-env})
   */
  public static ServerProcess start(String jar, String jvmOpts, String env) throws IOException, InterruptedException {
    HookbusProcess process = HookbusProcess.launch().jar(Path.of(jar)).jvmOptions(jvmOpts).env(env)
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
