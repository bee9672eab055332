// The harness's progress display. On a terminal: one live line rewritten in place, plus a
// permanent line per finished scenario. Elsewhere (CI, pipes): one plain line per run.

/** @param {number} ms */
function clock(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * @param {{ total: number, stream?: NodeJS.WriteStream, now?: () => number }} options
 */
export function createProgress({ total, stream = process.stderr, now = () => performance.now() }) {
  const live = Boolean(stream.isTTY);
  const started = now();
  let done = 0;
  let current = '';
  /** @type {NodeJS.Timeout | undefined} */
  let timer;

  const status = () => {
    const elapsed = now() - started;
    const left = done === 0 ? '' : `, ~${clock((elapsed / done) * (total - done))} left`;
    return `[${String(done).padStart(String(total).length)}/${total} ${clock(elapsed)}${left}]`;
  };
  const draw = () => {
    if (!live) return;
    const line = `${status()} ${current}`;
    const width = stream.columns ?? 100;
    stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  /** @param {string} line */
  const print = (line) => {
    if (live) stream.write('\r\x1b[2K');
    stream.write(`${line}\n`);
    draw();
  };

  if (live) {
    timer = setInterval(draw, 500);
    timer.unref();
  }

  return {
    /**
     * A run is starting.
     * @param {string} label
     */
    start(label) {
      current = label;
      draw();
    },
    /**
     * A run finished; `outcome` is a short summary of its headline figure or its error.
     * @param {string} label
     * @param {string} outcome
     */
    finish(label, outcome) {
      done++;
      if (!live) print(`${status()} ${label}: ${outcome}`);
      else draw();
    },
    /**
     * A permanent line (scenario headers and summaries).
     * @param {string} line
     */
    note(line) {
      print(line);
    },
    stop() {
      if (timer) clearInterval(timer);
      if (live) stream.write('\r\x1b[2K');
    },
  };
}
