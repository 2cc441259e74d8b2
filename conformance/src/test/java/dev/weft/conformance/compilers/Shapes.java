package dev.weft.conformance.compilers;

import dev.weft.Suspendable;

/**
 * Implemented once per compiler under test: runs one named shape of that language's bytecode,
 * calling {@link Pause} wherever the shape should suspend, and returns what it computed.
 */
public interface Shapes {
  @Suspendable
  Object run(String name, Pause p) throws Exception;
}
