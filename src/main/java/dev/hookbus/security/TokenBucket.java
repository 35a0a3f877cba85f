package dev.hookbus.security;

/** A rate limit: {@code ratePerSecond} sustained, up to {@code burst} at once. Time comes from the caller. */
public final class TokenBucket {
  private final double ratePerMs;
  private final double burst;
  private double tokens;
  private long lastMs;

  public TokenBucket(int ratePerSecond, int burst, long nowMs) {
    this.ratePerMs = ratePerSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  public synchronized boolean tryTake(long nowMs) {
    tokens = Math.min(burst, tokens + Math.max(0, nowMs - lastMs) * ratePerMs);
    lastMs = nowMs;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
