package dev.weft.bench.timers;

import dev.weft.Suspendable;
import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The timer benchmark: N fibers each sleep a random 1 to 50 ms, R times, and every sleep's lateness
 * (how much longer than asked it took) is recorded. Prints one {@code RESULT} line with the mean,
 * median, p99 and worst lateness and the process's CPU time (user and system, every thread): from
 * the start of the JVM ({@code cpu_s}) and while the fibers ran ({@code cpu_run_s}). {@code
 * bench/go/timers} is the same program in Go, and {@code bench/timers.sh} runs both side by side.
 *
 * <pre>{@code
 * java -javaagent:agent/target/weft-agent.jar -cp bench/target/weft-bench.jar \
 *     dev.weft.bench.timers.TimerBench --procs 1 --fibers 100000 --rounds 20
 * }</pre>
 *
 * Each fiber draws its delays from its own xorshift generator seeded by its index, as the Go
 * program does, so both sleep the same sequence of delays.
 *
 * <p>{@code --warmups W} runs the same workload W times first, in the same JVM, and prints one
 * {@code WARMUP} line for each (the workers' CPU, wall time and mean lateness), so that the
 * JIT's warm-up can be told apart from the steady state: the {@code RESULT} line then describes a
 * run on warm code, carries {@code warmups=W}, and its {@code workers_cpu_s} is the worker
 * threads' CPU during that run. The Go program's {@code -warmups} means the same.
 */
public final class TimerBench {
  private TimerBench() {}

  /** Runs one measurement; see the class comment. */
  public static void main(String[] args) {
    int procs = 1;
    int fibers = 100_000;
    int rounds = 20;
    int warmups = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--procs":
          procs = v;
          break;
        case "--fibers":
          fibers = v;
          break;
        case "--rounds":
          rounds = v;
          break;
        case "--warmups":
          warmups = v;
          break;
        default:
          throw new IllegalArgumentException(
              "unknown option "
                  + args[i]
                  + "; usage: TimerBench [--procs P] [--fibers N] [--rounds R] [--warmups W]");
      }
    }
    // --rounds 0 starts and ends the fibers without a sleep: the fixed cost (JVM, JIT, fibers).
    if (procs < 1 || fibers < 1 || rounds < 0 || warmups < 0 || args.length % 2 != 0) {
      throw new IllegalArgumentException(
          "usage: TimerBench [--procs P] [--fibers N] [--rounds R] [--warmups W]");
    }
    Weft.setMaxProcs(procs);
    for (int w = 1; w <= warmups; w++) {
      long[] late = new long[fibers * rounds];
      long workers0 = workerCpuNanos();
      long t0 = System.nanoTime();
      runSleepers(fibers, rounds, late);
      System.out.printf(
          Locale.ROOT,
          "WARMUP %d workers_cpu_s=%.3f wall_s=%.3f late_mean_ms=%.3f%n",
          w,
          (workerCpuNanos() - workers0) / 1e9,
          (System.nanoTime() - t0) / 1e9,
          mean(late) / 1e6);
    }
    long[] late = new long[fibers * rounds];
    // The workers' CPU only when asked: reading it starts the management framework, whose CPU the
    // default measurement must not count.
    long workers0 = warmups > 0 ? workerCpuNanos() : 0;
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    runSleepers(fibers, rounds, late);
    long wall = System.nanoTime() - t0;
    long cpu = processCpuNanos();
    long workersCpu = warmups > 0 ? workerCpuNanos() - workers0 : 0;
    double meanLate = mean(late);
    Arrays.sort(late);
    StringBuilder b = new StringBuilder("RESULT workload=timers system=weft");
    b.append(" java=").append(Runtime.version().feature());
    b.append(" procs=").append(procs).append(" fibers=").append(fibers);
    b.append(" rounds=").append(rounds);
    if (warmups > 0) {
      b.append(" warmups=").append(warmups); // never mistaken for a fresh process's line
    }
    b.append(" |");
    long[] sorted = late.length > 0 ? late : new long[1]; // a single 0 when there were no sleeps
    int count = sorted.length;
    metric(b, "late_mean_ms", meanLate / 1e6);
    metric(b, "late_p50_ms", sorted[count / 2] / 1e6);
    metric(b, "late_p99_ms", sorted[(int) (count * 0.99)] / 1e6);
    metric(b, "late_max_ms", sorted[count - 1] / 1e6);
    metric(b, "wall_s", wall / 1e9);
    metric(b, "cpu_s", cpu / 1e9);
    metric(b, "cpu_run_s", (cpu - cpu0) / 1e9);
    if (warmups > 0) {
      metric(b, "workers_cpu_s", workersCpu / 1e9);
    }
    System.out.println(b);
    if (Boolean.getBoolean("timers.threads")) {
      printThreadCpu();
    }
  }

  /** Starts the sleepers and waits for them all: one measurement's workload. */
  private static void runSleepers(int fibers, int rounds, long[] late) {
    Weft.run(
        () -> {
          WaitGroup wg = new WaitGroup();
          wg.add(fibers);
          for (int i = 0; i < fibers; i++) {
            int id = i;
            Weft.go(
                () -> {
                  sleeper(id, rounds, late);
                  wg.done();
                });
          }
          wg.await();
        });
  }

  private static double mean(long[] values) {
    double sum = 0;
    for (long v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }

  /** The CPU time of the scheduler's worker threads, live ones only (for {@code --warmups}). */
  private static long workerCpuNanos() {
    long[] sum = {0};
    eachThreadCpu(
        (name, ns) -> {
          if (name.startsWith("weft-worker-")) {
            sum[0] += ns;
          }
        });
    return sum[0];
  }

  /** With {@code -Dtimers.threads=true}: the CPU time of each live JVM thread, for profiling. */
  private static void printThreadCpu() {
    eachThreadCpu(
        (name, ns) -> {
          if (ns > 10_000_000L) {
            System.out.printf(Locale.ROOT, "  %7.2f s  %s%n", ns / 1e9, name);
          }
        });
  }

  /** Each live thread's name and CPU time (threads whose time is not known are left out). */
  private static void eachThreadCpu(java.util.function.ObjLongConsumer<String> each) {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (java.lang.management.ThreadInfo info :
        threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long ns = threads.getThreadCpuTime(info.getThreadId());
        if (ns > 0) {
          each.accept(info.getThreadName(), ns);
        }
      }
    }
  }

  @Suspendable
  private static void sleeper(int id, int rounds, long[] late) {
    int x = id * 0x9E3779B9 + 1;
    if (x == 0) {
      x = 1;
    }
    for (int k = 0; k < rounds; k++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      long ms = 1 + Integer.remainderUnsigned(x, 50);
      long d = ms * 1_000_000L;
      long start = System.nanoTime();
      Weft.sleep(ms);
      late[id * rounds + k] = System.nanoTime() - start - d;
    }
  }

  private static void metric(StringBuilder b, String name, double v) {
    b.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.6g", v));
  }

  /**
   * The process's CPU time so far, user and system, every thread. Read from the process handle
   * (the kernel's per-process account, as the Go program's getrusage) rather than the platform
   * MXBean, whose first use starts the management framework: about 50 ms of class loading and
   * initialisation that would be counted against the scheduler.
   */
  private static long processCpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("this platform does not report process CPU"))
        .toNanos();
  }
}
