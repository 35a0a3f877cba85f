// Batches DOM work: any number of requests between two frames cost one call of the render function, in an
// animation frame, and never sooner than minGapMs after the previous one (so a busy stream renders a few times a
// second, not sixty); busyGapMs after a batch of more than BUSY_REQUESTS. Background tabs get no animation
// frames, so a hidden dashboard does no DOM work at all.

const BUSY_REQUESTS = 20; // about one request per envelope: busy from ~200 envelopes a second at a 100 ms gap

export class FrameBatch {
  constructor(render, minGapMs = 0, busyGapMs = minGapMs) {
    this.render = render;
    this.minGapMs = minGapMs;
    this.busyGapMs = busyGapMs;
    this.gapMs = minGapMs;
    this.last = -Infinity;
    this.pending = false;
    this.requests = 0;
  }

  request() {
    this.requests++;
    if (this.pending) return;
    this.pending = true;
    const wait = this.last + this.gapMs - performance.now();
    if (wait > 1) setTimeout(() => requestAnimationFrame(() => this.run()), wait);
    else requestAnimationFrame(() => this.run());
  }

  run() {
    this.pending = false;
    this.gapMs = this.requests > BUSY_REQUESTS ? this.busyGapMs : this.minGapMs;
    this.requests = 0;
    this.last = performance.now();
    this.render();
  }
}

/** Sets a text only when it differs: an equal assignment still replaces the text node and dirties layout. */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}
