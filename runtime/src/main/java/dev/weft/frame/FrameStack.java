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
 *       error naming that frame, before anything is committed. With the bits, the call site
 *       names its callee: an instance call stores its receiver in {@link #armedFor}, a static call
 *       the class it names through {@link #armStatic} (into the carrier thread, clearing {@link
 *       #armedFor}); the callee's prologue compares {@link #armedFor} with {@code this}, or {@link
 *       #armedStatic()} with its own class;
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
 * 16 bits), the number of primitives and references the frame pushed (17 bits each: a frame saves
 * at most one value per local and stack slot, and a class file allows 65,535 of each), and the
 * method's shape (14 bits, below), so the saved frames can be walked for dumps without knowing the
 * methods.
 *
 * <h2>Shape</h2>
 *
 * A call-site index alone does not say that the values saved under it are the ones the method
 * will pop: a class redefined while a fiber is suspended in it (HotSwap, another agent's
 * retransformation) may still have a call site of that index, with a local added, removed or
 * retyped around it, and the restore would hand the wrong slots to the wrong locals (a wrong
 * value, or a ClassCastException far from the cause). So the agent gives every rewritten method
 * a shape: a hash, cut to 14 bits, of its name and descriptor and, for each call site in entry
 * order, the call's owner, name and descriptor and the kinds and types of the values saved there.
 * Each save passes it to {@link #pushFrame(int, int, String, FrameStack)}, which keeps it in the
 * record; the dispatch passes it to {@link #popFrame(int, String)}, which compares it with the
 * record's and throws {@link #mismatch(String)} when they differ: one compare per resumed frame,
 * on a value already loaded, and no change to the dispatch's switch. The shape is the method's
 * rather than the call site's, so that the check sits in the one pop every resume makes: a
 * change to any call site of the method refuses the resume of a fiber suspended at another one,
 * which is the safe side (the index alone says nothing of what the code around it now does). Not
 * seen: a change that keeps every call and every saved kind and type (different arithmetic, a
 * different constant), and one change in 16,384 that keeps the 14 bits by chance.
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
 * check (it remembers the entry), and {@link #pushFrame(int, String, FrameStack)}, which takes the
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
 * Reference stores are what the switch path avoids next to allocation: under G1, the default
 * collector, each one runs a write barrier of several instructions. A resume leaves the popped
 * references in their slots and a save stores only into a slot that holds another object, so a
 * fiber that parks where it parked before, with the same objects, writes no reference into its
 * arrays; the end of each unwind empties the slots above the saved frames.
 *
 * <p>Nothing here allocates on the suspend/resume path except to grow the arrays, which happens once
 * per fiber for a given depth, and to cut them to size after the first suspension and after a
 * deep excursion ({@link #fitSaved(boolean)}). A call that does not suspend costs the caller one
 * field store (arm) and one field load (the unwinding check), and the callee one thread lookup,
 * one load and one store on entry.
 *
 * <h2>Memory</h2>
 *
 * Every field here is in every fiber, and a parked fiber is what a million-stage pipeline is made
 * of: the mode, the arm's target, the preemption flag, the two arrays, their two tops and the
 * two marks of the frame being pushed, 40 bytes of the fiber's 64. Anything that is only needed
 * for an instant lives elsewhere: the call-site index of the compact form rides in the high bits
 * of the mode between the check and the frame record, and the decision to cut the arrays is taken
 * at the end of the unwind, where the depth is known, rather than remembered until the resume.
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

  /**
   * Where {@link #unwinding(int, FrameStack)} keeps the call-site index in {@link #mode} until
   * {@link #pushFrame(int, String, FrameStack)} takes it: above every mode bit.
   */
  private static final int ENTRY_SHIFT = 16;

  /** A frame record: the entry in bits 0-15, the primitive count from here (17 bits). */
  private static final int PRIMS_SHIFT = 16;
  /** A frame record: the reference count from here (17 bits). */
  private static final int REFS_SHIFT = 33;
  /** A frame record: the method's shape from here, to the top (14 bits). */
  private static final int SHAPE_SHIFT = 50;

  private static final int COUNT_MASK = 0x1FFFF;
  private static final int SHAPE_MASK = 0x3FFF;

  /** The default limit of the saved stack, in bytes, as Go's 1 GB. */
  public static final long DEFAULT_LIMIT = 1L << 30;

  private static final long[] NO_PRIMS = new long[0];
  private static final Object[] NO_REFS = new Object[0];
  /**
   * The first arrays hold four slots and grow by half, so deep stacks grow in amortised constant
   * time; at the end of the first suspension they are cut to what it saved ({@link
   * #fitSaved(boolean)}), so a fiber that parks at the same depth all its life (a pipeline stage:
   * three frames, five references, three records) keeps no spare slot.
   */
  private static final int FIRST_CAPACITY = 4;
  /**
   * Arrays above this many slots in all are cut to size at the end of an unwind that used less
   * than a quarter of them: a parked fiber does not keep the stack of a deep excursion.
   */
  private static final int SHRINK_ABOVE = 256;

  private static final long LIMIT;

  /**
   * Why {@code -Dweft.stack.limit} was rejected, or null. Kept, not thrown: a static initialiser
   * that throws leaves this class unusable, and every later call of rewritten code would fail with
   * a NoClassDefFoundError that no longer names the property; the scheduler refuses to start with
   * this message instead, each time it is asked to.
   */
  private static final String LIMIT_INVALID;

  static {
    long limit = DEFAULT_LIMIT;
    String invalid = null;
    try {
      limit = StackLimit.fromProperty("weft.stack.limit", DEFAULT_LIMIT);
    } catch (IllegalArgumentException e) {
      invalid = e.getMessage();
    }
    LIMIT = limit;
    LIMIT_INVALID = invalid;
  }

  /**
   * The mode, one of the constants above; written and read by instrumented code on the thread that
   * runs the fiber. Plain (not volatile): a fiber's stack is only touched by the thread running it,
   * and the scheduler's hand-off of a fiber between threads is a happens-before edge.
   */
  public int mode;

  /**
   * The object an armed call was made on, stored by the caller with the armed bits, so that the
   * callee can check that the call it was armed for is its own (see {@link #armedThrough(Class)});
   * null for a static call, whose class is in the carrier thread instead ({@link #armStatic}). A
   * class here is a static call's too (code rewritten before the carrier kept it, or a stack used
   * on a thread that is no carrier). Plain, like {@link #mode}.
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

  /** Where the frame being pushed began: the top after the previous frame record. */
  private int framePp;

  private int frameRp;

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
   * Checks the properties this package reads ({@code weft.stack.limit}, {@code weft.checkPath},
   * {@code weft.stress.yield}, {@code weft.stress.seed}): called once, when the runtime starts.
   *
   * @throws IllegalArgumentException naming the property that is not valid and its allowed values
   */
  protected static void requireValidModes() {
    if (LIMIT_INVALID != null) {
      throw new IllegalArgumentException(LIMIT_INVALID);
    }
    if (PathCheck.INVALID != null) {
      throw new IllegalArgumentException(PathCheck.INVALID);
    }
    if (StressYield.INVALID != null) {
      throw new IllegalArgumentException(StressYield.INVALID);
    }
  }

  /** The stress mode's start-up line, with the seed that repeats the run; null when it is off. */
  protected static String modesAnnouncement() {
    return StressYield.ENABLED ? StressYield.describe() : null;
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
    if (via == null) {
      return NORMAL;
    }
    Class<?> proxy = via.getClass();
    if (passesThrough(proxy, me)) {
      return ARMED;
    }
    ProxyTargets targets = LAMBDA_PROXY.get(proxy);
    if (targets == null) {
      return NORMAL;
    }
    if (targets.includes(me) || targets.learn(proxy, 2)) {
      rememberPassThrough(proxy, me);
      return ARMED;
    }
    return NORMAL;
  }

  /**
   * Whether the running thread remembers {@code proxy} as a pass-through to {@code me} (see {@link
   * Carrier#passProxy}): the fast path of every call through the same lambda proxy, a type check
   * and two compares, where the {@code ClassValue} lookup costs a chain of dependent loads and a
   * weak reference's read barrier on every call.
   */
  private static boolean passesThrough(Class<?> proxy, Class<?> me) {
    Thread t = Thread.currentThread();
    return t instanceof Carrier && ((Carrier) t).passProxy == proxy && ((Carrier) t).passCallee == me;
  }

  /**
   * Remembers a pass-through the lookup accepted. {@code me} is then among the proxy's targets:
   * either it was already, or the stack walk just found the proxy calling a method of class {@code
   * me} straight, and added that class.
   */
  private static void rememberPassThrough(Class<?> proxy, Class<?> me) {
    Thread t = Thread.currentThread();
    if (t instanceof Carrier) {
      Carrier c = (Carrier) t;
      c.passProxy = proxy;
      c.passCallee = me;
    }
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
    Object via = armedStatic();
    if (via == null) {
      return ARMED;
    }
    if (via instanceof Class) {
      return me == null || me.isAssignableFrom((Class<?>) via) ? ARMED : NORMAL;
    }
    Class<?> proxy = via.getClass();
    if (me != null && passesThrough(proxy, me)) {
      return ARMED;
    }
    ProxyTargets targets = LAMBDA_PROXY.get(proxy);
    if (targets == null) {
      return NORMAL;
    }
    // Not delegated to armedThrough: the stack walk counts the frames above the callee.
    if (me != null && targets.includes(me) || targets.learn(proxy, 2)) {
      if (me != null) {
        rememberPassThrough(proxy, me);
      }
      return ARMED;
    }
    return NORMAL;
  }

  /**
   * The arm of a static call: the class it names ({@code c}; null from a class file before Java
   * 5), which a static callee's prologue compares with its own ({@link #armedStatic()}). The class
   * goes into the carrier thread and {@link #armedFor} is cleared, rather than the class stored in
   * {@link #armedFor}: the fiber is a long-lived object, and under G1, the default collector, every
   * reference stored into an old object from another region dirties its card for the concurrent
   * refinement to scan. A static arm stored the class at most suspendable call sites of a sleep
   * (the sleep, the park, the suspension are static calls), which cost about one refined card per
   * sleep; a null store costs the collector nothing, and the carrier's card stays dirty. An
   * instance call's arm still stores its receiver, which is often the fiber itself (no card: the
   * same object) or an object made beside it.
   *
   * @param s the running fiber's stack, not null
   * @param c the class the static call names
   */
  public static void armStatic(FrameStack s, Class<?> c) {
    Thread t = Thread.currentThread();
    if (t instanceof Carrier) {
      Carrier carrier = (Carrier) t;
      if (carrier.armedClass != c) { // a run of static calls into one class stores once
        carrier.armedClass = c;
      }
      if (s.armedFor != null) {
        s.armedFor = null;
      }
    } else {
      s.armedFor = c;
    }
  }

  /**
   * What a static callee's prologue compares with its own class: the class of a static arm ({@link
   * #armStatic}), or {@link #armedFor} when that is not null (an instance call's receiver, which is
   * no class, or a class a static call stored there). One load and a type check more than reading
   * {@link #armedFor}, no store.
   */
  public final Object armedStatic() {
    Object via = armedFor;
    if (via != null) {
      return via;
    }
    Thread t = Thread.currentThread();
    return t instanceof Carrier ? ((Carrier) t).armedClass : null;
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
      Class<?> target = WALKER.walk(new TargetSearch(this, proxy, callee));
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

  /**
   * The class of the method {@code callee} frames below the walk's caller, when it was called
   * straight from {@code proxy} (through {@code java.lang.invoke} frames and other lambda proxies
   * only: a method reference to a lambda); null otherwise. A class rather than a lambda, and an
   * iterator rather than stream operations: the first fiber of every program walks here, and each
   * lambda or stream stage would be spun or loaded at that moment.
   */
  private static final class TargetSearch
      implements java.util.function.Function<
          java.util.stream.Stream<StackWalker.StackFrame>, Class<?>> {
    private final ProxyTargets targets;
    private final Class<?> proxy;
    private final int callee;

    TargetSearch(ProxyTargets targets, Class<?> proxy, int callee) {
      this.targets = targets;
      this.proxy = proxy;
      this.callee = callee;
    }

    @Override
    public Class<?> apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
      java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
      // The stream starts at learn(), callee frames above the callee.
      for (int skipped = 0; skipped < callee; skipped++) {
        if (!it.hasNext()) {
          return null;
        }
        it.next();
      }
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
            targets.unboxes = true;
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
    if ((m | PINNED) != (ARMED | PINNED)) {
      return m;
    }
    Object via = armedStatic();
    if (via == null
        // The common case first, one compare: the agent arms a static call to a primitive with
        // FrameStack.class itself.
        || via == FrameStack.class
        || via instanceof Class && FrameStack.class.isAssignableFrom((Class<?>) via)) {
      return m;
    }
    ProxyTargets targets = LAMBDA_PROXY.get(via.getClass());
    int armed = targets != null && (targets.includes(FrameStack.class)
        || targets.learn(via.getClass(), 2)) ? ARMED : NORMAL;
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

  /**
   * The object of the arm an initialiser holds aside (a receiver, or the class a static call
   * names); called first, before {@link #holdArm()}.
   */
  public static Object heldFor() {
    FrameStack s = current();
    return s == null ? null : s.armedStatic();
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
      armTarget(s, armedFor);
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

  /**
   * Saves a reference. A fiber that parks where it parked before, with the same objects in its
   * locals (a ping-pong's or a pipeline stage's channels), finds each one in its slot already,
   * since a resume leaves the slots as they are ({@link #popRef()}): it then stores nothing, and
   * pays no collector write barrier. A load and a compare cost less than the barrier of G1, the
   * default collector, which is several instructions on every reference store.
   */
  public static void pushRef(Object v, FrameStack s) {
    if (s.rp == s.refs.length) {
      s.growRefs();
    }
    Object[] r = s.refs;
    int at = s.rp++;
    if (r[at] != v) {
      r[at] = v;
    }
  }

  /**
   * Ends the frame being saved.
   *
   * @param entry the index of the call site the frame is suspended in (0 to 65535)
   * @param shape the method's shape (see above; only its low 14 bits are kept)
   * @param site the method's call-site table (see above), or where the call site is, as a
   *     stack-trace line ({@code pkg.Cls.method(File.java:42)})
   */
  public static void pushFrame(int entry, int shape, String site, FrameStack s) {
    // The table is a constant of the method, and the slot keeps it after the frame is popped (see
    // popFrame): a fiber that parks where it parked before finds it there and writes nothing,
    // which spares the collector's write barrier of a reference store on every switch.
    if (s.rp == s.refs.length) {
      s.growRefs();
    }
    Object[] r = s.refs;
    int at = s.rp++;
    if (r[at] != site) {
      r[at] = site;
    }
    long record =
        (entry & 0xFFFFL)
            | ((long) (s.pp - s.framePp) << PRIMS_SHIFT)
            | ((long) (s.rp - 1 - s.frameRp) << REFS_SHIFT)
            | ((long) (shape & SHAPE_MASK) << SHAPE_SHIFT);
    s.pushPrim(record);
    s.framePp = s.pp;
    s.frameRp = s.rp;
  }

  /**
   * Ends the frame being saved, of a method of shape {@code shape}, at the entry the compact form's
   * {@link #unwinding(int, FrameStack)} remembered in the high bits of {@link #mode}; puts the mode back to exactly
   * {@link #UNWINDING} for the caller's check.
   */
  public static void pushFrame(int shape, String sites, FrameStack s) {
    int entry = s.mode >>> ENTRY_SHIFT;
    s.mode = UNWINDING;
    pushFrame(entry, shape, sites, s);
  }

  /**
   * The compact form of a call site's arm: {@code s.mode = ok; s.armedFor = target}, or for a static
   * call's class {@code s.mode = ok; armStatic(s, target)}; nothing on a plain thread ({@code s}
   * null). One call instead of nine bytes of inline code per call site.
   */
  public static void arm(FrameStack s, int ok, Object target) {
    if (s != null) {
      s.mode = ok;
      armTarget(s, target);
    }
  }

  /**
   * Stores what an arm names where its callee will look: a static call's class (or the null of a
   * class file before Java 5) through {@link #armStatic}, a receiver, which is never a class, in
   * {@link #armedFor}.
   */
  private static void armTarget(FrameStack s, Object target) {
    if (target == null || target instanceof Class) {
      armStatic(s, (Class<?>) target);
    } else {
      s.armedFor = target;
    }
  }

  /**
   * The compact form of the check after a call: whether the callee started an unwind, remembering
   * the caller's call-site index for {@link #pushFrame(int, String, FrameStack)} when it did.
   *
   * <p>The index is kept in the high bits of {@link #mode}, not in a field of its own (4 bytes of
   * every fiber): between this call and that {@code pushFrame} the caller only pushes its values,
   * through static methods that never read the mode, and {@code pushFrame} restores {@link
   * #UNWINDING} before anything else can look.
   */
  public static boolean unwinding(int entry, FrameStack s) {
    if (s != null && s.mode == UNWINDING) {
      s.mode = UNWINDING | (entry << ENTRY_SHIFT);
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

  /**
   * Takes the top frame record and returns its call-site index, after checking that it was saved
   * by a method of the same shape as the one restoring it (see above): one compare, no allocation.
   *
   * @param shape the restoring method's shape
   * @param sites the restoring method's call-site table, to name it in the error
   * @throws IllegalStateException ({@link #mismatch(String)}) when the shapes differ: the class
   *     was changed while the fiber was suspended in it
   */
  public final int popFrame(int shape, String sites) {
    long record = prims[--pp];
    if ((int) (record >>> SHAPE_SHIFT) != (shape & SHAPE_MASK)) {
      throw mismatch(sites);
    }
    // The call-site table stays in its slot: a string constant of the method, kept alive by its
    // class anyway, and the next save of this frame finds it there (see pushFrame).
    --rp;
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

  /**
   * Restores a reference. The slot keeps it: the next save at this depth often saves the same
   * object there and then writes nothing (see {@link #pushRef}). What the running fiber no longer
   * needs is dropped at the end of its next unwind instead ({@link #fitSaved(boolean)} clears
   * every slot above the saved frames), so a parked fiber holds only what it saved; a running one
   * holds, besides, at most what it held at its last suspension.
   */
  public final Object popRef() {
    Object v = refs[--rp];
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

  /** The rewind has restored every frame: reset the frame marks. */
  private void emptied() {
    framePp = 0;
    frameRp = 0;
  }

  /**
   * Called by the runtime on the fiber's worker once an unwind is complete, before the fiber can
   * be resumed anywhere (the release that publishes the saved frames comes after). Cuts the arrays
   * to what the unwind saved when it was the fiber's first ({@code first}: the arrays were grown
   * for it from nothing), or when they hold more than {@link #SHRINK_ABOVE} slots of which it used
   * less than a quarter (a deep excursion is over). Otherwise, and so on the switch path of a
   * fiber that parks at a depth it has parked at before, two length loads and no allocation. Either
   * way the reference slots above the saved frames end up empty: a resume leaves what it popped in
   * them ({@link #popRef()}).
   *
   * <pre>{@code
   * boolean first = fiber.mode == FrameStack.ARMED;  // before the slice
   * entry.run();
   * if (fiber.mode == FrameStack.UNWINDING) fiber.fitSaved(first);
   * }</pre>
   */
  protected final void fitSaved(boolean first) {
    long[] p = prims;
    Object[] r = refs;
    int capacity = p.length + r.length;
    if (first || (capacity > SHRINK_ABOVE && capacity > 4 * (pp + rp))) {
      if (p.length > pp) {
        prims = pp == 0 ? NO_PRIMS : java.util.Arrays.copyOf(p, pp);
      }
      // With compressed references two slots make the 8-byte allocation unit: a spare slot that
      // shares its unit with a used one costs nothing, and copying would gain nothing.
      if ((r.length + 1) >> 1 > (rp + 1) >> 1) {
        refs = rp == 0 ? NO_REFS : java.util.Arrays.copyOf(r, rp);
        return;
      }
    }
    // The slots above the saved frames still hold what the fiber popped when it last resumed
    // (popRef leaves it, and popFrame leaves its call-site tables): drop it now, so that a parked
    // fiber keeps nothing it did not save. A fiber that parks at the same depth every time (its
    // arrays cut to what it saves) has no slot, or one, to look at.
    for (int i = rp; i < r.length; i++) {
      if (r[i] != null) {
        r[i] = null;
      }
    }
  }

  /**
   * Drops every saved frame and the arrays that held them: the fiber will not be resumed (it
   * ended, failed, or outgrew its limit). Not just emptied: an ended fiber can stay referenced for
   * a long time (by a stale slot of a run queue's ring), and its arrays are sized to its deepest
   * park. A fiber that goes on after an overflow grows new ones from nothing.
   */
  protected final void clear() {
    prims = NO_PRIMS;
    refs = NO_REFS;
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
      top -= 1 + (int) ((record >>> PRIMS_SHIFT) & COUNT_MASK);
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
      int nPrims = (int) ((record >>> PRIMS_SHIFT) & COUNT_MASK);
      int nRefs = (int) ((record >>> REFS_SHIFT) & COUNT_MASK);
      sites.add(SiteTable.site(refs[refTop - 1], (int) (record & 0xFFFF)));
      top -= 1 + nPrims;
      refTop -= 1 + nRefs;
    }
    java.util.Collections.reverse(sites);
    return sites;
  }

  /**
   * The saved frames, innermost first, each with the values it pushed, for debugging and for the
   * frame-stack diagram of docs/design.md: one line per frame, {@code site TAB entry=N TAB
   * prims=[...] TAB refs=[...]}, primitives as the raw {@code long} slots they occupy and
   * references by class name ({@code null} for null), both in the order they were pushed (the
   * operand stack under the call, top first, then the locals). The call-site table each frame also
   * holds is shown as its site. Only meaningful while the fiber is suspended; allocates freely.
   *
   * <pre>{@code
   * parked.savedFrameLayout().forEach(System.out::println);
   * }</pre>
   */
  public final List<String> savedFrameLayout() {
    List<String> frames = new ArrayList<>();
    int top = pp;
    int refTop = rp;
    while (top > 0 && refTop > 0) {
      long record = prims[top - 1];
      int nPrims = (int) ((record >>> PRIMS_SHIFT) & COUNT_MASK);
      int nRefs = (int) ((record >>> REFS_SHIFT) & COUNT_MASK);
      int entry = (int) (record & 0xFFFF);
      StringBuilder b = new StringBuilder(SiteTable.site(refs[refTop - 1], entry));
      b.append("\tentry=").append(entry).append("\tprims=[");
      for (int i = top - 1 - nPrims; i < top - 1; i++) {
        b.append(i > top - 1 - nPrims ? ", " : "").append(prims[i]);
      }
      b.append("]\trefs=[");
      for (int i = refTop - 1 - nRefs; i < refTop - 1; i++) {
        Object v = refs[i];
        b.append(i > refTop - 1 - nRefs ? ", " : "").append(v == null ? "null" : v.getClass().getName());
      }
      frames.add(b.append(']').toString());
      top -= 1 + nPrims;
      refTop -= 1 + nRefs;
    }
    java.util.Collections.reverse(frames);
    return frames;
  }

  /** Bytes held by the saved-stack arrays (payload only). */
  public final long capacityBytes() {
    return 8L * prims.length + 4L * refs.length;
  }

  /** Bytes of the saved-stack arrays that hold saved frames (payload only). */
  public final long savedBytes() {
    return 8L * pp + 4L * rp;
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
    int grown = length + (length >> 1);
    // At least FIRST_CAPACITY: an array cut to one slot must still grow. A negative sum overflowed.
    int next = grown < 0 ? grown : Math.max(FIRST_CAPACITY, grown);
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
