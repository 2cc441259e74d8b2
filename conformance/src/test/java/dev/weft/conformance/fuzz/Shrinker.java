package dev.weft.conformance.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reduces a failing program by editing its decisions rather than its text: it deletes or zeroes
 * runs of {@link Choices} and rewrites the program from the edited sequence, which is always a
 * valid program and, since zero is the simplest decision, usually a smaller one. A candidate is
 * kept when it still fails and its source is shorter. Candidates are compiled and checked in
 * batches, because compiling is the cost.
 */
final class Shrinker {
  private static final int[] CHUNKS = {64, 16, 4, 2, 1};
  private static final int BATCH = 40;

  private final Fuzzer fuzzer;
  private int names;

  Shrinker(Fuzzer fuzzer) {
    this.fuzzer = fuzzer;
  }

  /** The smallest failing program found before {@code deadline} ({@link System#nanoTime()}). */
  Fuzzer.Failure shrink(Fuzzer.Failure failure, long deadline) {
    Fuzzer.Failure best = failure;
    boolean improved = true;
    while (improved && System.nanoTime() < deadline) {
      improved = false;
      for (int chunk : CHUNKS) {
        List<int[]> candidates = candidates(best.choices, chunk);
        for (int from = 0; from < candidates.size() && System.nanoTime() < deadline;
            from += BATCH) {
          Fuzzer.Failure smaller =
              firstSmaller(best, candidates.subList(from, Math.min(candidates.size(),
                  from + BATCH)));
          if (smaller != null) {
            best = smaller;
            improved = true;
            break;
          }
        }
        if (improved) {
          break;
        }
      }
    }
    return best;
  }

  private static List<int[]> candidates(int[] choices, int chunk) {
    List<int[]> list = new ArrayList<>();
    for (int i = 0; i + chunk <= choices.length; i += chunk) {
      int[] deleted = new int[choices.length - chunk];
      System.arraycopy(choices, 0, deleted, 0, i);
      System.arraycopy(choices, i + chunk, deleted, i, choices.length - i - chunk);
      list.add(deleted);
      boolean zero = true;
      for (int k = i; k < i + chunk; k++) {
        zero &= choices[k] == 0;
      }
      if (!zero) {
        int[] zeroed = choices.clone();
        Arrays.fill(zeroed, i, i + chunk, 0);
        list.add(zeroed);
      }
    }
    return list;
  }

  private Fuzzer.Failure firstSmaller(Fuzzer.Failure best, List<int[]> candidates) {
    List<Fuzzer.Written> batch = new ArrayList<>();
    for (int[] choices : candidates) {
      Fuzzer.Written w =
          new Fuzzer.Written(best.seed, "S" + names++, Choices.replay(choices));
      if (w.source.length() < best.source.length()) {
        batch.add(w);
      }
    }
    if (batch.isEmpty()) {
      return null;
    }
    Fuzzer.Failure found = null;
    int foundAt = Integer.MAX_VALUE;
    for (Fuzzer.Failure f : fuzzer.check(batch)) {
      int at = indexOf(batch, f);
      if (!f.difference.startsWith("does not compile") && at < foundAt) {
        found = f;
        foundAt = at;
      }
    }
    return found;
  }

  private static int indexOf(List<Fuzzer.Written> batch, Fuzzer.Failure f) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).source.equals(f.source)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
