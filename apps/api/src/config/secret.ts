import { inspect } from 'node:util';

/**
 * Wraps a secret value so that it never reaches a log line or a JSON body by accident:
 * `String()`, `JSON.stringify()` and `util.inspect()` all print a placeholder.
 * Call `reveal()` at the one place that needs the value.
 */
export class Secret<T> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}
