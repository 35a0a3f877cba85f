package dev.hookbus.bench;

import dev.hookbus.support.HookbusProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a server's CPU went between two readings: user and kernel time of the whole process and of each of its
 * threads ({@code /proc/<pid>/task/<tid>/stat}). Kernel time is what the system calls cost (on loopback a socket
 * write also runs the receiving side's TCP), user time the server's own code, its JIT compiler and its collector.
 * Thread names come from {@code /proc} ({@code comm}, 15 characters); for a JVM, {@code jcmd Thread.print} gives the
 * whole names ({@code vert.x-eventloop-thread-3}), read once at the end.
 */
final class ThreadCpu {
  private static final double TICKS_PER_SECOND = 100.0;
  private static final int THREADS_REPORTED = 8;
  private static final Pattern JSTACK_THREAD = Pattern.compile("^\"(.+?)\" .*\\bnid=(0x[0-9a-f]+)");

  private record Ticks(String name, long user, long system) {
  }

  private final long pid;
  private final Map<Long, Ticks> start;

  private ThreadCpu(long pid, Map<Long, Ticks> start) {
    this.pid = pid;
    this.start = start;
  }

  /** A first reading of process {@code pid}'s threads. */
  static ThreadCpu start(long pid) {
    return new ThreadCpu(pid, read(pid));
  }

  /**
   * What was used since {@link #start}: {@code userS}, {@code systemS}, and the busiest threads with theirs, each
   * also in µs per {@code unit} (a delivery, or an event) when {@code units} is positive.
   */
  JsonObject since(long units, boolean jvm) {
    Map<Long, Ticks> end = read(pid);
    Map<Long, String> names = jvm ? jvmThreadNames(pid) : Map.of();
    long user = 0;
    long system = 0;
    List<JsonObject> threads = new ArrayList<>();
    for (Map.Entry<Long, Ticks> thread : end.entrySet()) {
      Ticks before = start.getOrDefault(thread.getKey(), new Ticks("", 0, 0));
      long threadUser = thread.getValue().user() - before.user();
      long threadSystem = thread.getValue().system() - before.system();
      user += threadUser;
      system += threadSystem;
      if (threadUser + threadSystem > 0) {
        String name = names.getOrDefault(thread.getKey(), thread.getValue().name());
        threads.add(figures(new JsonObject().put("name", name), threadUser, threadSystem, units));
      }
    }
    threads.sort(Comparator.comparingDouble((JsonObject t) -> t.getDouble("userS") + t.getDouble("systemS"))
        .reversed());
    return figures(new JsonObject(), user, system, units)
        .put("threads", new JsonArray(new ArrayList<>(threads.subList(0, Math.min(THREADS_REPORTED, threads.size())))));
  }

  private static JsonObject figures(JsonObject into, long userTicks, long systemTicks, long units) {
    into.put("userS", userTicks / TICKS_PER_SECOND).put("systemS", systemTicks / TICKS_PER_SECOND);
    if (units > 0) {
      into.put("userUsPerUnit", round(userTicks * 1e6 / TICKS_PER_SECOND / units))
          .put("systemUsPerUnit", round(systemTicks * 1e6 / TICKS_PER_SECOND / units));
    }
    return into;
  }

  private static Map<Long, Ticks> read(long pid) {
    Map<Long, Ticks> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in ticks of 1/100 s.
          threads.put(Long.parseLong(task.getFileName().toString()), new Ticks(stat.substring(open + 1, close),
              Long.parseLong(fields[11]), Long.parseLong(fields[12])));
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      });
    } catch (IOException e) {
      // not Linux, or the process is gone: nothing to report
    }
    return threads;
  }

  /** Thread id to the JVM's own thread name, from its thread dump; empty if jcmd is not there. */
  private static Map<Long, String> jvmThreadNames(long pid) {
    Map<Long, String> names = new HashMap<>();
    try {
      for (String line : HookbusProcess.threadDump(pid).split("\n")) {
        Matcher m = JSTACK_THREAD.matcher(line);
        if (m.find()) {
          names.put(Long.decode(m.group(2)), m.group(1));
        }
      }
    } catch (IOException e) {
      // no jcmd: /proc's short names stay
    }
    return names;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
