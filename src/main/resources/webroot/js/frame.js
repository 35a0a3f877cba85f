// Batches DOM work: any number of requests between two frames cost one call of the render function, in an
// animation frame, and never sooner than minGapMs after the previous one (so a busy stream renders a few times a
// second, not sixty). Background tabs get no animation frames, so a hidden dashboard does no DOM work at all.

export class FrameBatch {
  constructor(render, minGapMs = 0) {
    this.render = render;
    this.minGapMs = minGapMs;
    this.last = -Infinity;
    this.pending = false;
  }

  request() {
    if (this.pending) return;
    this.pending = true;
    const wait = this.last + this.minGapMs - performance.now();
    if (wait > 1) setTimeout(() => requestAnimationFrame(() => this.run()), wait);
    else requestAnimationFrame(() => this.run());
  }

  run() {
    this.pending = false;
    this.last = performance.now();
    this.render();
  }
}

/** Sets a text only when it differs: an equal assignment still replaces the text node and dirties layout. */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}
