package dev.weft.frame;

import java.util.ArrayList;
import java.util.List;

/**
 * The saved frames of one fiber, and the whole contract between the Weft agent and the runtime.
 *
 * <p>Instrumented code calls nothing else in the runtime. This comment is the one place where the
 * protocol is written down; {@code docs/design.md} draws it.
 *
 * <h2>Modes</h2>
 *
 * A fiber's stack is always in one of these modes, read and written by instrumented code through
 * the public field {@link #mode}:
 *
 * <ul>
 *   <li>{@link #NORMAL} (0): running, no call armed;
 *   <li>{@link #ARMED} (1, bit): set by an instrumented caller just before it calls a suspendable
 *       method, so the callee knows the frame below it can be saved. Every instrumented method
 *       reads the mode on entry, remembers the armed bits in a local ("ok") and clears them; at
 *       each suspendable call site it arms the mode with that local again. The armed bit that
 *       reaches {@link #suspend()} is therefore the AND over every frame on the fiber's path: a
 *       single uninstrumented frame in between clears it, and the suspension fails at once with an
 *       error naming that frame, before anything is committed;
 *       An exception between the arm and the callee's prologue must not leave the bits set: every
 *       handler of an instrumented method, and a last catch-all that rethrows, call {@link
 *       #clearArm()} first;
 *   <li>{@link #PINNED} (2, bit): or-ed in by a call site that holds a monitor ({@code synchronized}),
 *       and inherited by everything below it. {@link #suspend()} then blocks the carrier thread
 *       instead of unwinding. Such a call site stores {@link #armedFor} too, and the callee checks
 *       it as for an unpinned arm, keeping PINNED: a frame the agent did not rewrite below a
 *       monitor fails with the same error as anywhere else;
 *   <li>{@link #UNWINDING} (4): set by {@link #suspend()}. Each instrumented caller checks the mode
 *       right after a suspendable call returns; when it is {@code UNWINDING}, it pushes its
 *       operand stack (the values under the call, top first), then its locals, then its frame
 *       record, and returns a dummy value. The runtime's run loop sees {@code UNWINDING} when the
 *       fiber's entry method returns;
 *   <li>{@link #REWINDING} (8): set by the runtime before it re-invokes the entry method of a
 *       suspended fiber. Each instrumented method that sees it on entry pops its frame record, its
 *       locals and its operand stack, and jumps straight to the call it was suspended in, which
 *       re-enters the next frame the same way. {@link #suspend()} ends the rewind: it sets {@code
 *       NORMAL} and returns as if it had just woken up.
 * </ul>
 *
 * <h2>Layout</h2>
 *
 * Two arrays grow side by side: {@code prims} holds every primitive (int, float as raw bits, long,
 * double as raw bits, one {@code long} slot each) and every frame record; {@code refs} holds every
 * reference and, for each frame, its method's call-site table. Nothing is boxed. Frames are
 * pushed innermost first while unwinding, so the outermost frame is on top, which is exactly the
 * order in which rewinding re-enters them. A frame record packs the call-site index (the "entry",
 * 16 bits) with the number of primitives and references the frame pushed (24 bits each), so the
 * saved frames can be walked for dumps without knowing the methods.
 *
 * <h2>Call-site tables</h2>
 *
 * A rewritten method has one string constant for all its call sites, decoded only when a dump or
 * an error shows a saved frame ({@link #savedSites()}): char 0 is U+0001, char 1 the
 * length n of the head, chars 2 to n+1 the head {@code "pkg.Cls.method(File.java"}, and then one
 * char per entry, its source line (0 when none is known). Entry 7 of a table whose head is {@code
 * "a.B.m(B.java"} and whose eighth line char is 42 reads {@code "a.B.m(B.java:42)"}. A string
 * without the leading U+0001 names its one call site as it is.
 *
 * <h2>Shared save and restore blocks</h2>
 *
 * The agent gives call sites that have the same live layout (the types of the saved locals and of
 * the operand stack under the call) one save block and one restore block, with the entry in a
 * local; nothing here depends on it. Above a size where the JVM would not compile the method
 * anyway, it also uses a compact form at each call site: {@link #arm(FrameStack, int, Object)}
 * instead of two field stores, {@link #unwinding(int, FrameStack)} instead of the inline mode
 * check (it remembers the entry), and {@link #pushFrame(String, FrameStack)}, which takes the
 * entry remembered. The two forms push the same frames. In both, a frame record whose entry names
 * no call site of the method throws {@link #mismatch(String)}, built from the method's table.
 *
 * <h2>Checking modes</h2>
 *
 * Every rewritten method that is not {@code synchronized} starts, before its original code, with
 * {@code if (STRESS_YIELD) stressPoint();}, the call being a suspendable call site of its own.
 * {@link #STRESS_YIELD} is false unless {@code -Dweft.stress.yield} is set, so the JIT removes it;
 * when set, {@link #stressPoint()} may yield the fiber there. With {@code -Dweft.checkPath=true}
 * every primitive that starts an unwind first walks the Java stack for frames that were not
 * rewritten. Both are read by the runtime only: the agent emits the same code either way.
 *
 * <h2>Cost</h2>
 *
 * Nothing here allocates on the suspend/resume path except to grow the arrays, which happens once
 * per fiber for a given depth. A call that does not suspend costs the caller one field store (arm)
 * and one field load (the unwinding check), and the callee one thread lookup, one load and one
 * store on entry.
 */
public class FrameStack {
  /** Running; no call armed. */
  public static final int NORMAL = 0;
  /** Bit: the calling frame is instrumented, and so is every frame below it. */
  public static final int ARMED = 1;
  /** Bit: a frame on the path holds a monitor; suspending must pin the carrier thread. */
  public static final int PINNED = 2;
  /** The fiber is suspending: every instrumented frame saves itself and returns. */
  public static final int UNWINDING = 4;
  /** The fiber is resuming: every instrumented frame restores itself and re-enters its call. */
  public static final int REWINDING = 8;

  /**
   * Whether the stress mode is on ({@code -Dweft.stress.yield=P}): the agent guards the call to
   * {@link #stressPoint()} at the start of every rewritten method with this constant, so that the
   * JIT removes the call when the mode is off.
   */
  public static final boolean STRESS_YIELD = StressYield.ENABLED;

  /** The default limit of the saved stack, in bytes, as Go's 1 GB. */
  public static final long DEFAULT_LIMIT = 1L << 30;

  private static final long[] NO_PRIMS = new long[0];
  private static final Object[] NO_REFS = new Object[0];
  /**
   * The first arrays hold four slots and grow by half: a parked pipeline stage (three frames,
   * nine references, three records) then fits arrays of 9 and 4 slots instead of 16 and 8, a
   * third of its saved-stack bytes, and deep stacks still grow in amortised constant time.
   */
  private static final int FIRST_CAPACITY = 4;
  /** Arrays above this many slots are given back when a resume empties them well below capacity. */
  private static final int SHRINK_ABOVE = 256;

  private static final long LIMIT = StackLimit.fromProperty("weft.stack.limit", DEFAULT_LIMIT);

  /**
   * The mode, one of the constants above; written and read by instrumented code on the thread that
   * runs the fiber. Plain (not volatile): a fiber's stack is only touched by the thread running it,
   * and the scheduler's hand-off of a fiber between threads is a happens-before edge.
   */
  public int mode;

  /**
   * The object an armed call was made on, or the class a static call names: stored by the
   * caller with the armed bits, so that the callee can check that the call it was armed for is its
   * own (see {@link #armedThrough(Class)}). Plain, like {@link #mode}.
   */
  public Object armedFor;

  /**
   * Set by the scheduler when the fiber has run longer than its time slice; read by the check the
   * agent puts on every loop back-edge of a suspendable method. Volatile so that the JIT cannot
   * hoist the read out of a loop that calls nothing: on x86 a volatile read is a plain load.
   */
  public volatile boolean preempt;

  private long[] prims = NO_PRIMS;
  private Object[] refs = NO_REFS;
  private int pp;
  private int rp;
  /** The call-site index {@link #unwinding(int, FrameStack)} saw last. */
  private int unwindingEntry;

  /** Where the frame being pushed began: the top after the previous frame record. */
  private int framePp;

  private int frameRp;
  /** The deepest a suspension went since the arrays last shrank, to shrink with hysteresis. */
  private int highWater;

  /**
   * Stress points this fiber has drawn at, modulo 65,536 ({@link StressYield}): a {@code char}, so
   * that it fits in the padding of a fiber and costs no memory.
   */
  char stressDraws;

  /** Creates an empty stack; the arrays are allocated on the first suspension. */
  protected FrameStack() {}

  /**
   * The stack of the fiber the current thread is running, or null on a plain thread (where
   * instrumented code then runs as plain code).
   */
  public static FrameStack current() {
    Thread t = Thread.currentThread();
    return t instanceof Carrier ? ((Carrier) t).frames : null;
  }

  // ---------------------------------------------------------------------------------------------
  // The suspension primitive.

  /**
   * Suspends the current fiber: the one call that starts an unwind. Instrumented callers treat it
   * as a suspendable call. The runtime records why the fiber suspends (parked, yielded) before it
   * calls this; when the fiber is resumed, this method returns normally.
   *
   * <p>When a monitor is held on the path, it instead calls {@link #blockPinned()} and returns when
   * that does. When a frame on the path is not instrumented, it throws {@link
   * UninstrumentedFrameError} before anything is saved.
   */
  public static void suspend() {
    FrameStack s = current();
    if (s == null) {
      throw new IllegalStateException("FrameStack.suspend() called outside a fiber");
    }
    int m = s.checkedArm(s.mode);
    if (m == REWINDING) {
      s.mode = NORMAL;
      return;
    }
    if ((m & ARMED) == 0) {
      s.mode = NORMAL;
      throw UninstrumentedFrameError.find();
    }
    if ((m & PINNED) != 0) {
      s.mode = NORMAL;
      s.blockPinned();
      return;
    }
    s.checkPath();
    s.mode = UNWINDING;
  }

  /**
   * Checks, before the runtime commits a fiber to wait, that the fiber can suspend from here.
   * Called as a suspendable call site from the instrumented method that will then call {@link
   * #suspend()}, so it sees the same armed bits that call will see; it never suspends.
   *
   * @return true when the fiber can unwind; false on a plain thread or when a monitor is held on
   *     the path (the fiber is pinned), in which case the caller must block its thread instead
   * @throws UninstrumentedFrameError when a frame on the path is not instrumented
   */
  public static boolean prepareSuspend() {
    FrameStack s = current();
    if (s == null) {
      return false;
    }
    int m = s.checkedArm(s.mode);
    s.mode = NORMAL;
    if ((m & ARMED) == 0) {
      throw UninstrumentedFrameError.find();
    }
    if ((m & PINNED) != 0) {
      return false;
    }
    s.checkPath();
    return true;
  }

  /**
   * The preemption point: called by a loop back-edge check when {@link #preempt} is set, as a
   * suspendable call site. Unwinds the fiber after telling the runtime ({@link #onPreempted()}),
   * which puts it back on a run queue. A fiber that cannot unwind here (pinned, or under an
   * uninstrumented frame) just goes on: preemption is a request, never an error.
   */
  public static void preempted() {
    FrameStack s = current();
    if (s == null) {
      return;
    }
    int m = s.checkedArm(s.mode);
    if (m == REWINDING) {
      s.mode = NORMAL;
      return;
    }
    s.preempt = false;
    if ((m & (ARMED | PINNED)) != ARMED) {
      s.mode = NORMAL;
      return;
    }
    s.checkPath();
    s.onPreempted();
    s.mode = UNWINDING;
  }

  /** Called when the fiber is about to unwind at a preemption point; the runtime requeues it. */
  protected void onPreempted() {}

  /**
   * The stress point: called at the start of every rewritten method, as a suspendable call site,
   * when {@link #STRESS_YIELD} is on. When the call that entered the method was made on a fully
   * instrumented path (armed, not pinned), the fiber yields here with the configured probability,
   * as a preemption point would: every caller on the path saves its frame at its real call site
   * and restores it on resume, which is what the stress mode exists to exercise. Instrumented
   * callers treat it as a suspendable call, as {@link #suspend()}. Allocates nothing.
   */
  public static void stressPoint() {
    FrameStack s = current();
    if (s == null) {
      return;
    }
    int m = s.checkedArm(s.mode);
    if (m == REWINDING) {
      s.mode = NORMAL;
      return;
    }
    if (m != ARMED || !StressYield.yieldsAt(StressYield.SEED, ++s.stressDraws, StressYield.THRESHOLD)) {
      s.mode = NORMAL;
      return;
    }
    s.checkPath();
    s.preempt = false; // a yield satisfies a pending preemption request
    s.onPreempted();
    s.mode = UNWINDING;
  }

  /**
   * With {@code -Dweft.checkPath=true}, walks the stack before an unwind and throws when a frame on
   * it was not rewritten; otherwise nothing (the JIT removes the call).
   */
  private void checkPath() {
    if (PathCheck.ENABLED) {
      UninstrumentedFrameError e = PathCheck.find();
      if (e != null) {
        mode = NORMAL;
        throw e;
      }
    }
  }

  /**
   * Checks the checking modes' properties ({@code weft.checkPath}, {@code weft.stress.yield}, {@code
   * weft.stress.seed}) and announces the stress mode's seed: called once, when the runtime starts.
   *
   * @throws IllegalArgumentException naming the property that is not valid and its allowed values
   */
  protected static void requireValidModes() {
    if (PathCheck.INVALID != null) {
      throw new IllegalArgumentException(PathCheck.INVALID);
    }
    if (StressYield.INVALID != null) {
      throw new IllegalArgumentException(StressYield.INVALID);
    }
    if (StressYield.ENABLED) {
      System.err.println(StressYield.describe());
    }
  }


  /**
   * Clears the armed bits: the whole prologue of a suspendable method the agent could not rewrite
   * (it is then loaded with only this call added). Without it, the arming its caller meant for it
   * would reach the rewritten methods it calls, and a suspension would slip through a frame that
   * cannot unwind; with it, the suspension fails with an error naming that method.
   */
  public static void disarm() {
    FrameStack s = current();
    if (s != null) {
      s.mode = NORMAL;
    }
  }

  /**
   * The armed bits a callee keeps when it read exactly {@link #ARMED} but {@link #armedFor} is not
   * itself: the call went through another frame first. A lambda proxy only forwards its arguments,
   * so through one the call stays {@link #ARMED}, but only when the callee is the proxy's target:
   * a method reference to a method the agent did not rewrite ({@code SuspendableRunnable r =
   * plainRunnable::run}) puts plain frames between the proxy and the next instrumented method,
   * which must not take the arm. Any other frame (a dynamic proxy and its handler, reflection, a
   * method the agent did not rewrite) would be replayed on resume, so the arm is dropped and a
   * suspension below fails with {@link UninstrumentedFrameError}.
   *
   * <p>Whether the callee is the proxy's target is seen once on the stack (microseconds) and then
   * remembered per proxy class and callee class; a miss is not remembered, because the target may
   * be rewritten later (a class retransformed after it was first used). The callee's fast path is
   * the identity check in its prologue; this runs on a mismatch only, and allocates nothing once
   * the pair is known.
   *
   * @param me the class of the calling method, the callee whose prologue read the arm
   */
  public final int armedThrough(Class<?> me) {
    Object via = armedFor;
    ProxyTargets targets = via == null ? null : LAMBDA_PROXY.get(via.getClass());
    if (targets == null) {
      return NORMAL;
    }
    return targets.includes(me) || targets.learn(via.getClass(), 2) ? ARMED : NORMAL;
  }

  /**
   * {@link #armedThrough(Class)} for a static callee. A static call stores the class it names
   * (null from a class file before Java 5), so the arm is the callee's when that class is its own
   * or a subclass of it (a static method called through a subclass): a plain static method in
   * another class between the arm and this prologue does not pass.
   *
   * @param me the class of the calling static method, or null in a class file before Java 5
   */
  public final int armedThroughStatic(Class<?> me) {
    Object via = armedFor;
    if (via == null) {
      return ARMED;
    }
    if (via instanceof Class) {
      return me == null || me.isAssignableFrom((Class<?>) via) ? ARMED : NORMAL;
    }
    ProxyTargets targets = LAMBDA_PROXY.get(via.getClass());
    if (targets == null) {
      return NORMAL;
    }
    // Not delegated to armedThrough: the stack walk counts the frames above the callee.
    return me != null && targets.includes(me) || targets.learn(via.getClass(), 2) ? ARMED : NORMAL;
  }

  /**
   * {@link #armedThrough(Class)} for the prologue of a class file too old to load a class
   * constant (before Java 5): the stack is looked at every time.
   */
  public final int armedThrough() {
    Object via = armedFor;
    ProxyTargets targets = via == null ? null : LAMBDA_PROXY.get(via.getClass());
    return targets != null && targets.learn(via.getClass(), 2) ? ARMED : NORMAL;
  }

  /**
   * The classes of the methods seen called straight from one lambda proxy class: its targets
   * (several when the proxy calls a method that subclasses override).
   */
  private static final class ProxyTargets {
    private static final StackWalker WALKER =
        StackWalker.getInstance(
            java.util.EnumSet.of(
                StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));
    private volatile Class<?>[] known = new Class<?>[0];
    /**
     * Whether the proxy unboxes its target's result ({@code IntSupplier s = boxes::integer}): then
     * it is no pass-through, since the dummy null an unwinding target returns would fail in the
     * proxy's unboxing before any instrumented frame could save itself. Remembered, so that such a
     * proxy costs one stack walk only.
     */
    private volatile boolean unboxes;

    boolean includes(Class<?> c) {
      for (Class<?> k : known) {
        if (k == c) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the method {@code callee} frames below this one (1 is this method's caller) was
     * called straight from {@code proxy} (through {@code java.lang.invoke} frames and other lambda
     * proxies only: a method reference to a lambda), remembering its class if so.
     */
    boolean learn(Class<?> proxy, int callee) {
      if (unboxes) {
        return false;
      }
      Class<?> target =
          WALKER.walk(
              frames -> {
                java.util.Iterator<StackWalker.StackFrame> it = frames.skip(callee).iterator();
                if (!it.hasNext()) {
                  return null;
                }
                StackWalker.StackFrame first = it.next();
                Class<?> called = first.getDeclaringClass();
                Class<?> returned = first.getMethodType().returnType();
                while (it.hasNext()) {
                  StackWalker.StackFrame f = it.next();
                  Class<?> c = f.getDeclaringClass();
                  Class<?> r = f.getMethodType().returnType();
                  if (r.isPrimitive() && r != void.class && !returned.isPrimitive()) {
                    if (c == proxy) {
                      unboxes = true;
                    }
                    return null; // it unboxes what the frame above returns: no pass-through
                  }
                  returned = r;
                  if (c == proxy) {
                    return called;
                  }
                  if (!c.getName().startsWith("java.lang.invoke.") && LAMBDA_PROXY.get(c) == null) {
                    return null; // a frame that is not a pass-through: the arm is not for the callee
                  }
                }
                return null;
              });
      if (target == null) {
        return false;
      }
      synchronized (this) {
        if (!includes(target)) {
          Class<?>[] next = java.util.Arrays.copyOf(known, known.length + 1);
          next[known.length] = target;
          known = next;
        }
      }
      return true;
    }
  }

  /** The targets seen of each lambda proxy class spun by {@code LambdaMetafactory}; null for others. */
  private static final ClassValue<ProxyTargets> LAMBDA_PROXY =
      new ClassValue<>() {
        @Override
        protected ProxyTargets computeValue(Class<?> c) {
          return c.isHidden() && c.getName().contains("$$Lambda") ? new ProxyTargets() : null;
        }
      };

  /**
   * The armed bits of {@code m} as the suspension primitives below see them: they are the callee,
   * the caller of this method.
   */
  private int checkedArm(int m) {
    // A static call to a primitive names FrameStack (or a subclass, through which it was called).
    // Pinned or not: a plain frame between a pinned arm and the primitive fails as without it.
    Object via = armedFor;
    if ((m | PINNED) != (ARMED | PINNED)
        || via == null
        || via instanceof Class && FrameStack.class.isAssignableFrom((Class<?>) via)) {
      return m;
    }
    ProxyTargets targets = LAMBDA_PROXY.get(armedFor.getClass());
    int armed = targets != null && (targets.includes(FrameStack.class)
        || targets.learn(armedFor.getClass(), 2)) ? ARMED : NORMAL;
    return armed | (m & PINNED);
  }

  /**
   * Clears a stale arm. An exception thrown between a caller's arm and its callee's prologue (a null
   * receiver, a failed class initialisation, a stack overflow) leaves the armed bits set for
   * whatever the fiber calls next: a plain method that catches it and then calls a rewritten one
   * would be unwound through as if it were instrumented. So every exception handler of an
   * instrumented method starts with this call, and each such method ends its exception table with
   * a catch-all that calls it and rethrows. Only the armed bits go: an unwind or a rewind in
   * progress is left as it is.
   */
  public static void clearArm() {
    FrameStack s = current();
    if (s != null) {
      s.mode &= ~(ARMED | PINNED);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Class initialisers. A class is initialised by the first call of one of its static methods,
  // between the caller's arm and that method's prologue; the rewritten class's initialiser holds
  // the arm aside while it runs (what it calls must neither take nor consume it) and puts it back.

  /** The object of the arm an initialiser holds aside; called first, before {@link #holdArm()}. */
  public static Object heldFor() {
    FrameStack s = current();
    return s == null ? null : s.armedFor;
  }

  /** Takes the armed bits away while a class initialiser runs, and returns them. */
  public static int holdArm() {
    FrameStack s = current();
    if (s == null) {
      return NORMAL;
    }
    int armed = s.mode & (ARMED | PINNED);
    s.mode &= ~(ARMED | PINNED);
    return armed;
  }

  /**
   * Gives back, when a class initialiser returns, the arm it held aside, for the method whose call
   * triggered the initialisation. An initialiser that throws gives nothing back: the caller's
   * handlers clear the arm.
   */
  public static void restoreArm(int armed, Object armedFor) {
    FrameStack s = current();
    if (s != null && armed != NORMAL) {
      s.mode = (s.mode & ~(ARMED | PINNED)) | armed;
      s.armedFor = armedFor;
    }
  }

  /**
   * Blocks the carrier thread of a fiber that must suspend while holding a monitor, until the
   * fiber is woken. The runtime overrides this to add a compensating worker for the time it blocks.
   */
  protected void blockPinned() {
    throw new IllegalStateException("this fiber cannot block while pinned");
  }

  // ---------------------------------------------------------------------------------------------
  // Saving (while unwinding). Static, value first, so instrumented code pushes the stack after
  // the value it saves, whatever its size.

  /** Saves an int. */
  public static void pushInt(int v, FrameStack s) {
    s.pushPrim(v);
  }

  /** Saves a float, as its raw bits. */
  public static void pushFloat(float v, FrameStack s) {
    s.pushPrim(Float.floatToRawIntBits(v));
  }

  /** Saves a long. */
  public static void pushLong(long v, FrameStack s) {
    s.pushPrim(v);
  }

  /** Saves a double, as its raw bits. */
  public static void pushDouble(double v, FrameStack s) {
    s.pushPrim(Double.doubleToRawLongBits(v));
  }

  /** Saves a reference. */
  public static void pushRef(Object v, FrameStack s) {
    if (s.rp == s.refs.length) {
      s.growRefs();
    }
    s.refs[s.rp++] = v;
  }

  /**
   * Ends the frame being saved.
   *
   * @param entry the index of the call site the frame is suspended in (0 to 65535)
   * @param site the method's call-site table (see above), or where the call site is, as a
   *     stack-trace line ({@code pkg.Cls.method(File.java:42)})
   */
  public static void pushFrame(int entry, String site, FrameStack s) {
    pushRef(site, s);
    long record =
        (entry & 0xFFFFL)
            | ((long) (s.pp - s.framePp) << 16)
            | ((long) (s.rp - 1 - s.frameRp) << 40);
    s.pushPrim(record);
    s.framePp = s.pp;
    s.frameRp = s.rp;
    if (s.pp + s.rp > s.highWater) {
      s.highWater = s.pp + s.rp;
    }
  }

  /**
   * Ends the frame being saved, at the entry the compact form's {@link #unwinding(int,
   * FrameStack)} remembered.
   */
  public static void pushFrame(String sites, FrameStack s) {
    pushFrame(s.unwindingEntry, sites, s);
  }

  /**
   * The compact form of a call site's arm: {@code s.mode = ok; s.armedFor = target}, or nothing on
   * a plain thread ({@code s} null). One call instead of nine bytes of inline code per call site.
   */
  public static void arm(FrameStack s, int ok, Object target) {
    if (s != null) {
      s.mode = ok;
      s.armedFor = target;
    }
  }

  /**
   * The compact form of the check after a call: whether the callee started an unwind, remembering
   * the caller's call-site index for {@link #pushFrame(String, FrameStack)} when it did.
   */
  public static boolean unwinding(int entry, FrameStack s) {
    if (s != null && s.mode == UNWINDING) {
      s.unwindingEntry = entry;
      return true;
    }
    return false;
  }

  /**
   * The error a rewritten method throws when the frame record it pops names none of its call sites:
   * the class was changed while a fiber was suspended in it.
   */
  public static IllegalStateException mismatch(String sites) {
    return new IllegalStateException(
        "fiber stack does not match "
            + SiteTable.method(sites)
            + ": was the class changed while a fiber was suspended in it?");
  }

  private void pushPrim(long v) {
    if (pp == prims.length) {
      growPrims();
    }
    prims[pp++] = v;
  }

  // ---------------------------------------------------------------------------------------------
  // Restoring (while rewinding), in the reverse order of saving.

  /** Takes the top frame record and returns its call-site index. */
  public final int popFrame() {
    long record = prims[--pp];
    refs[--rp] = null;
    if (pp == 0 && rp == 0) {
      emptied();
    } else {
      framePp = pp;
      frameRp = rp;
    }
    return (int) (record & 0xFFFF);
  }

  /** Restores an int. */
  public final int popInt() {
    return (int) popPrim();
  }

  /** Restores a float. */
  public final float popFloat() {
    return Float.intBitsToFloat((int) popPrim());
  }

  /** Restores a long. */
  public final long popLong() {
    return popPrim();
  }

  /** Restores a double. */
  public final double popDouble() {
    return Double.longBitsToDouble(popPrim());
  }

  /** Restores a reference, clearing its slot so the stack holds nothing it no longer needs. */
  public final Object popRef() {
    Object v = refs[--rp];
    refs[rp] = null;
    if (pp == 0 && rp == 0) {
      emptied();
    }
    return v;
  }

  private long popPrim() {
    long v = prims[--pp];
    if (pp == 0 && rp == 0) {
      emptied();
    }
    return v;
  }

  /** The rewind has restored every frame: reset the frame marks and shrink after a deep excursion. */
  private void emptied() {
    framePp = 0;
    frameRp = 0;
    int capacity = prims.length + refs.length;
    if (capacity > SHRINK_ABOVE && capacity > 4 * highWater) {
      prims = NO_PRIMS;
      refs = NO_REFS;
    }
    highWater = 0;
  }

  /** Drops every saved frame: the fiber will not be resumed (it failed or was abandoned). */
  protected final void clear() {
    java.util.Arrays.fill(refs, 0, rp, null);
    pp = 0;
    rp = 0;
    framePp = 0;
    frameRp = 0;
    mode = NORMAL;
    armedFor = null;
  }

  /** The number of frames saved. */
  public final int savedFrames() {
    int n = 0;
    for (int top = pp; top > 0; n++) {
      long record = prims[top - 1];
      top -= 1 + (int) ((record >>> 16) & 0xFFFFFF);
    }
    return n;
  }

  /**
   * The call sites of the saved frames, innermost first, as stack-trace lines: what a dump shows
   * of a suspended fiber. Only meaningful while the fiber is suspended.
   */
  public final List<String> savedSites() {
    List<String> sites = new ArrayList<>();
    int top = pp;
    int refTop = rp;
    while (top > 0 && refTop > 0) {
      long record = prims[top - 1];
      int nPrims = (int) ((record >>> 16) & 0xFFFFFF);
      int nRefs = (int) ((record >>> 40) & 0xFFFFFF);
      sites.add(SiteTable.site(refs[refTop - 1], (int) (record & 0xFFFF)));
      top -= 1 + nPrims;
      refTop -= 1 + nRefs;
    }
    java.util.Collections.reverse(sites);
    return sites;
  }

  /** Bytes held by the saved-stack arrays (payload only). */
  public final long capacityBytes() {
    return 8L * prims.length + 4L * refs.length;
  }

  // ---------------------------------------------------------------------------------------------
  // Growth.

  private void growPrims() {
    prims = java.util.Arrays.copyOf(prims, grownLength(prims.length, 8));
  }

  private void growRefs() {
    refs = java.util.Arrays.copyOf(refs, grownLength(refs.length, 8));
  }

  private int grownLength(int length, int bytesPerSlot) {
    int next = length == 0 ? FIRST_CAPACITY : length + (length >> 1);
    long bytes = capacityBytes() + (long) (next - length) * bytesPerSlot;
    if (bytes > LIMIT || next < 0) {
      clear();
      throw new FiberStackOverflowError(
          "fiber stack exceeds its limit of "
              + LIMIT
              + " bytes (raise it with -Dweft.stack.limit=2g, or look for runaway recursion)");
    }
    return next;
  }
}
