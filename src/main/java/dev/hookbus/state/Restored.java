package dev.hookbus.state;

import dev.hookbus.otlp.UsageRollup;

/**
 * State rebuilt from a log: the registry at the log's last seq, the history window, how many records it took, and the
 * usage rollup of every kept usage envelope.
 */
public record Restored(SessionRegistry registry, History<String> history, long records, UsageRollup usage) {
}
