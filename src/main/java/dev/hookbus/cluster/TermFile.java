package dev.hookbus.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cluster node must not forget across a restart, beside its journal: the highest term it has seen, the node
 * it accepted as leader in it (so it never backs two leaders in one term), and the term runs of its journal (the
 * first seq written under each term), which decide whose log is newer and where two logs part. Written with a
 * rename and an fsync before anything that depends on it is acknowledged. Blocking: call it on a worker.
 */
final class TermFile {
  static final String FILE = "cluster-term.json";

  private final Path path;

  TermFile(Path dir) {
    this.path = dir.resolve(FILE);
  }

  record State(long term, String leader, TreeMap<Long, Long> runs) {
  }

  State load() {
    try {
      if (!Files.exists(path)) {
        return new State(0, null, new TreeMap<>());
      }
      JsonObject json = new JsonObject(Buffer.buffer(Files.readAllBytes(path)));
      TreeMap<Long, Long> runs = new TreeMap<>();
      for (Object run : json.getJsonArray("runs", new JsonArray())) {
        JsonArray pair = (JsonArray) run;
        runs.put(pair.getLong(0), pair.getLong(1));
      }
      return new State(json.getLong("term", 0L), json.getString("leader"), runs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  void save(long term, String leader, TreeMap<Long, Long> runs) {
    JsonArray pairs = new JsonArray();
    for (Map.Entry<Long, Long> run : runs.entrySet()) {
      pairs.add(new JsonArray().add(run.getKey()).add(run.getValue()));
    }
    byte[] bytes = new JsonObject().put("term", term).put("leader", leader).put("runs", pairs).toBuffer().getBytes();
    Path tmp = path.resolveSibling(FILE + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        // directories cannot be synced here: the file itself is
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
