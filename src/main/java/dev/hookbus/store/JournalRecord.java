package dev.hookbus.store;

/**
 * One journal record: every envelope one state transition produced (seqs {@code firstSeq..lastSeq}), as JSON
 * bytes, so a torn write can never leave half a transition behind.
 *
 * @param time when it was accepted (epoch ms); retention by age reads it
 */
public record JournalRecord(long firstSeq, long lastSeq, long time, byte[] body) {
}
