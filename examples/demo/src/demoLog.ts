export interface DemoLog {
  /** A line as it is. */
  line(text: string): void;
  /** A line stamped with the time since the run started: `+1.234s  text`. */
  event(text: string): void;
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
}

/**
 * Plain text for CI logs; colours only when `color` is set (the CLI sets it for a TTY without
 * NO_COLOR).
 */
export function createDemoLog(print: (line: string) => void, color: boolean): DemoLog {
  const start = performance.now();
  const paint =
    (code: number) =>
    (text: string): string =>
      color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const dim = paint(2);
  return {
    line: print,
    event(text) {
      const seconds = ((performance.now() - start) / 1000).toFixed(3);
      print(`${dim(`+${seconds.padStart(6)}s`)}  ${text}`);
    },
    good: paint(32),
    bad: paint(31),
    dim,
  };
}
