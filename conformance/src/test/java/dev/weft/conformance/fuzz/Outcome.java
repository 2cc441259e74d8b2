package dev.weft.conformance.fuzz;

/** How one run of a generated program ended, and what it did on the way. */
final class Outcome {
  /** "returned 42" or "threw java.lang.ArithmeticException: / by zero". */
  final String ending;
  /** What the program threw, or null. */
  final Throwable thrown;
  final Trace trace;

  private Outcome(String ending, Throwable thrown, Trace trace) {
    this.ending = ending;
    this.thrown = thrown;
    this.trace = trace;
  }

  static Outcome returned(Object value, Trace trace) {
    return new Outcome("returned " + value, null, trace);
  }

  static Outcome threw(Throwable t, Trace trace) {
    return new Outcome("threw " + t.getClass().getName() + ": " + t.getMessage(), t, trace);
  }
}
