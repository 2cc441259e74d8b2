package dev.weft.conformance.fuzz;

/**
 * Thrown by a suspend point once a run has passed its budget of suspend points, so that a
 * generated program whose calls multiply cannot run for long. An {@link Error}, so that the
 * {@code catch (RuntimeException e)} of a generated program does not catch it; plain and fiber
 * runs exhaust their fuel at the same point, so it compares like any other outcome.
 */
public final class FuelExhausted extends Error {
  private static final long serialVersionUID = 1L;

  FuelExhausted(int budget) {
    super("more than " + budget + " suspend points", null, false, false);
  }
}
