import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A dashboard widget built when the dashboard is rendered (at synth), not when it is added:
 * the alarm list and the per-function rows then include functions added with
 * `ServiceObservability.addFunction()` after the dashboard was created, in their place in the
 * layout. The factory must return the same layout every time it is called.
 *
 * @example
 * dashboard.addWidgets(new LazyWidget(() => new cloudwatch.Column(...rowsForFunctions())));
 */
export class LazyWidget implements cloudwatch.IWidget {
  readonly #make: () => cloudwatch.IWidget;
  #x = 0;
  #y = 0;

  constructor(make: () => cloudwatch.IWidget) {
    this.#make = make;
  }

  get width(): number {
    return this.#make().width;
  }

  get height(): number {
    return this.#make().height;
  }

  position(x: number, y: number): void {
    this.#x = x;
    this.#y = y;
  }

  toJson(): unknown[] {
    const widget = this.#make();
    widget.position(this.#x, this.#y);
    return widget.toJson();
  }
}
