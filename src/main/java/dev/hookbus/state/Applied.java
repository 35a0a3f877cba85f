package dev.hookbus.state;

import dev.hookbus.model.Envelope;

import java.util.List;

/**
 * The outcome of one accepted event.
 *
 * @param seq       the seq the event itself got
 * @param envelopes everything to publish for it, in seq order (derived events included)
 */
public record Applied(long seq, List<Envelope> envelopes) {
}
