package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * For state that settles where no event announces it (a file watcher, a process in another JVM): asks the real
 * server, and asks again as soon as an answer (or a failure: not listening yet) does not satisfy the condition,
 * until one does or the time is up.
 * The only pause is a short breather between two asks; no answer is ever assumed from elapsed time.
 */
public final class Eventually {
  private static final long BREATHER_MS = 20;

  private Eventually() {
  }

  public static <T> Future<T> until(Vertx vertx, Supplier<Future<T>> ask, Predicate<T> condition, Duration within) {
    return ask(vertx, ask, condition, System.nanoTime() + within.toNanos());
  }

  private static <T> Future<T> ask(Vertx vertx, Supplier<Future<T>> ask, Predicate<T> condition, long deadline) {
    return ask.get().transform(asked -> {
      Object answer = asked.succeeded() ? asked.result() : asked.cause();
      if (asked.succeeded() && condition.test(asked.result())) {
        return Future.succeededFuture(asked.result());
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new AssertionError("condition not met; last answer: " + answer));
      }
      return vertx.timer(BREATHER_MS).compose(t -> ask(vertx, ask, condition, deadline));
    });
  }
}
