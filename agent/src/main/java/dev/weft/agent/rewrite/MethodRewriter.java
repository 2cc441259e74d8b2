package dev.weft.agent.rewrite;

import dev.weft.agent.core.FrameContract;
import dev.weft.agent.hierarchy.ClassHierarchy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Rewrites one suspendable method into a resumable state machine, following the protocol written
 * down in {@code dev.weft.frame.FrameStack} (the runtime's side of the contract).
 *
 * <p>The method gains a prologue and, per suspendable call site, a little code around the call
 * plus two out-of-line blocks at the end of the method:
 *
 * <pre>
 *   s = FrameStack.current(); ok = 0
 *   if (s != null) { ok = s.mode; if (ok == REWINDING) goto dispatch; s.mode = NORMAL }
 *   ... original code, where each suspendable call site i becomes:
 *       [receiver copied to a temporary, so it can be saved]
 *       if (s != null) s.mode = ok              // arm: "my caller chain is instrumented"
 *     invoke_i:
 *       call
 *       if (s != null &amp;&amp; s.mode == UNWINDING) goto save_i
 *   ...
 *   save_i:    pop the dummy result; push the operand stack under the call (top first), the
 *              locals, the receiver; push the frame record (i, the method's shape, its call-site
 *              table); return a dummy value
 *   restore_i: pop the receiver, the locals (in reverse), the operand stack; push the receiver
 *              and dummy arguments; goto invoke_i (the callee re-enters in the same way)
 *   dispatch:  ok = ARMED; switch (s.popFrame(shape, table)) { case i: goto restore_i }
 * </pre>
 *
 * Sites with the same layout (see {@link Layout}) share one save and one restore block, the
 * site's index travelling in a local; the frame record names the site by that index and one
 * call-site table per method ({@link SiteTable}). Big methods use a compact form of the code at
 * each site and, above 32 KB, put the dispatch and the save blocks before the original code (see
 * the constructor and docs/design.md, "Big methods").
 *
 * <p>Call sites that hold a monitor arm with the {@code PINNED} bit and get no save or restore
 * block: the fiber never unwinds through them (it blocks its carrier instead), which also keeps
 * monitor use block-structured so the JIT compiles the method. Loop back-edges get a preemption
 * check that, when the scheduler asks, calls {@code FrameStack.preempted()}: itself a call site.
 */
final class MethodRewriter {
  static final String FRAME_STACK = FrameContract.FRAME_STACK;
  static final String FRAME_STACK_DESC = FrameContract.FRAME_STACK_DESC;
  static final String INSTRUMENTED_DESC = FrameContract.INSTRUMENTED_DESC;
  private static final int ARMED = FrameContract.ARMED;
  private static final int PINNED = FrameContract.PINNED;
  private static final int UNWINDING = FrameContract.UNWINDING;
  private static final int REWINDING = FrameContract.REWINDING;
  private static final int MAX_SITES = 0xFFFF;

  private final ClassNode owner;
  private final MethodNode method;
  private final ClassHierarchy hierarchy;
  private final Predicate<MethodInsnNode> isSuspendableCall;
  private final boolean preemptLoops;
  private final boolean compact;
  private final boolean far;

  private int stackLocal;
  private int okLocal;
  private int receiverLocal;
  private int argLocals;
  private int originalMaxLocals;
  private int budgetLocal;
  /** The call-site index, from a save stub to its shared save block, or from the dispatch on. */
  private int entryLocal;
  /** This method's call-site table (see {@link SiteTable}). */
  private String siteTable;
  /** This method's shape: what the runtime checks a frame record against on resume ({@link #shapeOf}). */
  private int shape;
  /** Back-edges between two reads of the preemption flag. */
  static final int PREEMPT_BUDGET = 128;

  MethodRewriter(
      ClassNode owner,
      MethodNode method,
      ClassHierarchy hierarchy,
      Predicate<MethodInsnNode> isSuspendableCall,
      boolean preemptLoops) {
    this(owner, method, hierarchy, isSuspendableCall, preemptLoops, false, false);
  }

  /**
   * @param compact whether to use the compact form at each call site (calls to {@code
   *     FrameStack.arm} and {@code FrameStack.unwinding} instead of inline field accesses, every
   *     defined local saved so that fewer layouts need blocks): for methods the JVM would not
   *     compile anyway, or that would not fit in 64 KB otherwise
   * @param far whether the method is too long for 16-bit jump offsets: the dispatch and the save
   *     blocks then go before the original code and the restore blocks after it, so that every
   *     jump the rewrite adds that may be long is a backward {@code goto} (which the class writer
   *     widens to {@code goto_w} on the spot) or a switch (32-bit offsets), and the writer never
   *     has to rewrite long forward jumps in a second pass
   */
  MethodRewriter(
      ClassNode owner,
      MethodNode method,
      ClassHierarchy hierarchy,
      Predicate<MethodInsnNode> isSuspendableCall,
      boolean preemptLoops,
      boolean compact,
      boolean far) {
    this.far = far;
    this.owner = owner;
    this.method = method;
    this.hierarchy = hierarchy;
    this.isSuspendableCall = isSuspendableCall;
    this.preemptLoops = preemptLoops;
    this.compact = compact;
  }

  /** One suspendable call site, with what the analysis found there. */
  private static final class Site {
    final MethodInsnNode call;
    final boolean pinned;
    Frame<BasicValue> frame;
    /**
     * The locals read after the call before being written, on its normal or any exceptional edge
     * (a handler covering the call runs if it throws after a resume): the only ones saved.
     */
    java.util.BitSet liveAfter;
    /**
     * The local the receiver was loaded from, unchanged since, or -1. Such a receiver is saved as
     * that local instead of a copy of its own: one reference less in every parked frame.
     */
    int receiverFromLocal = -1;
    int entry = -1;
    /** Whether the receiver is copied to a temporary to be saved (it is not in a local). */
    boolean receiverCopy;
    Type receiverType;
    /** Which arguments are kept in temporaries and saved (see {@link #rewriteSite}). */
    boolean[] keep;
    Layout layout;
    final LabelNode invoke = new LabelNode();
    /** Where the check after the call jumps when the callee unwinds. */
    final LabelNode save = new LabelNode();

    Site(MethodInsnNode call, boolean pinned) {
      this.call = call;
      this.pinned = pinned;
    }
  }

  void rewrite() {
    InsnList insns = method.instructions;
    originalMaxLocals = method.maxLocals;
    stackLocal = originalMaxLocals;
    okLocal = stackLocal + 1;
    receiverLocal = okLocal + 1;
    argLocals = receiverLocal + 1;
    boolean synchronizedMethod = (method.access & Opcodes.ACC_SYNCHRONIZED) != 0;
    clearArmInHandlers();

    // 1. Find the call sites and loop back-edges, with the monitors held at each.
    int[] depth = MonitorDepth.compute(method);
    List<Site> sites = new ArrayList<>();
    List<JumpInsnNode> backEdges = new ArrayList<>();
    int maxArgSize = 0;
    for (int i = 0; i < insns.size(); i++) {
      AbstractInsnNode insn = insns.get(i);
      if (depth[i] < 0) {
        continue; // unreachable: leave as it is
      }
      boolean pinned = synchronizedMethod || depth[i] > 0;
      if (insn instanceof MethodInsnNode && isSuspendableCall.test((MethodInsnNode) insn)) {
        MethodInsnNode call = (MethodInsnNode) insn;
        if (call.name.equals("<init>")) {
          continue; // constructors are never suspendable
        }
        sites.add(new Site(call, pinned));
        maxArgSize = Math.max(maxArgSize, argSize(call.desc));
      } else if (preemptLoops && !pinned && insn instanceof JumpInsnNode) {
        JumpInsnNode jump = (JumpInsnNode) insn;
        if (insns.indexOf(jump.label) <= i) {
          backEdges.add(jump);
        }
      }
    }

    // 2. Constructor arguments that suspend: move NEW/DUP after them.
    Set<AbstractInsnNode> siteInsns = new HashSet<>();
    for (Site s : sites) {
      siteInsns.add(s.call);
    }
    int nextLocal = ConstructorArgumentMover.move(method, siteInsns, argLocals + maxArgSize);

    // 3. Preemption checks on back-edges; each is a call site of its own. Two forms, by what the
    // loop does (see needsBudget): a loop that touches arrays counts down a local and reads the
    // flag once every PREEMPT_BUDGET back-edges, since a volatile read on every turn keeps the JIT
    // from unrolling it; any other loop reads the flag on every turn, a load and a branch the CPU
    // predicts, which costs such a loop less than the countdown's extra loop variable (the inner
    // loop of the Mandelbrot renderer: rows about 5% faster on Java 17, see docs/scheduler.md).
    budgetLocal = nextLocal++;
    boolean anyBudget = false;
    for (JumpInsnNode jump : backEdges) {
      LabelNode skip = new LabelNode();
      InsnList check = new InsnList();
      if (needsBudget(jump)) {
        anyBudget = true;
        check.add(new org.objectweb.asm.tree.IincInsnNode(budgetLocal, -1));
        check.add(new VarInsnNode(Opcodes.ILOAD, budgetLocal));
        check.add(new JumpInsnNode(Opcodes.IFGT, skip));
        check.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
        check.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
      }
      check.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      check.add(new JumpInsnNode(Opcodes.IFNULL, skip));
      check.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      check.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "preempt", "Z"));
      check.add(new JumpInsnNode(Opcodes.IFEQ, skip));
      MethodInsnNode preempted =
          new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "preempted", "()V", false);
      check.add(preempted);
      check.add(skip);
      insns.insertBefore(jump, check);
      sites.add(new Site(preempted, false));
    }
    insertStressPoint(sites, synchronizedMethod);
    if (sites.size() > MAX_SITES) {
      throw new UntransformableException("more than " + MAX_SITES + " suspendable call sites");
    }

    // 4. A first prologue that defines the two new locals, so the analysis sees them.
    LabelNode body = new LabelNode();
    InsnList head = new InsnList();
    head.add(new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "current", "()" + FRAME_STACK_DESC, false));
    head.add(new VarInsnNode(Opcodes.ASTORE, stackLocal));
    head.add(new InsnNode(Opcodes.ICONST_0));
    head.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    if (anyBudget) {
      head.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
      head.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
    }
    AbstractInsnNode headEnd = head.getLast();
    insns.insert(head);
    method.maxLocals = Math.max(nextLocal, argLocals + maxArgSize);
    boolean hasBudget = anyBudget;
    method.maxStack = method.maxStack + 4;

    // 5. Types of every local and stack value at every site.
    Frame<BasicValue>[] frames = analyze();
    Frame<SourceValue>[] sources = analyzeSources();
    java.util.Map<AbstractInsnNode, Integer> receiverUses = new java.util.HashMap<>();
    for (Site s : sites) {
      int at = insns.indexOf(s.call);
      s.frame = frames[at];
      if (s.frame != null && s.call.getOpcode() != Opcodes.INVOKESTATIC) {
        s.receiverFromLocal = receiverLocalOf(s, sources, at);
        if (s.pinned) {
          // Read only right before the call, to arm it: a pinned site never resumes.
          s.receiverCopy = s.receiverFromLocal < 0;
        } else if (s.receiverFromLocal >= 0) {
          // The call reads that local again if it is resumed, so it stays live up to the call,
          // and every suspension between its load and the call saves it.
          receiverUses.put(s.call, s.receiverFromLocal);
        }
      }
    }
    java.util.BitSet[] live = Liveness.compute(method, receiverUses);
    for (Site s : sites) {
      s.liveAfter = Liveness.liveOut(method, live, insns.indexOf(s.call));
      if (s.receiverFromLocal >= 0) {
        s.liveAfter.set(s.receiverFromLocal);
      }
    }

    // 6. Group the sites that can unwind by layout, numbering each layout's sites in a row, and
    // rewrite each site.
    entryLocal = method.maxLocals++;
    List<Site> reachable = new ArrayList<>();
    java.util.Map<String, Layout> byKey = new java.util.LinkedHashMap<>();
    for (Site s : sites) {
      if (s.frame == null) {
        continue; // unreachable after all
      }
      reachable.add(s);
      if (!s.pinned) {
        prepareSite(s);
        String key = layoutKey(s);
        s.layout = byKey.get(key);
        if (s.layout == null) {
          s.layout = new Layout();
          byKey.put(key, s.layout);
        }
        s.layout.sites.add(s);
      }
    }
    List<Layout> layouts = new ArrayList<>(byKey.values());
    List<Site> resumable = new ArrayList<>();
    boolean anyShared = false;
    for (Layout layout : layouts) {
      anyShared |= layout.isShared();
      for (Site s : layout.sites) {
        s.entry = resumable.size();
        resumable.add(s);
      }
    }
    int[] lines = new int[resumable.size()];
    for (Site s : resumable) {
      lines[s.entry] = lineOf(s.call);
    }
    siteTable = SiteTable.encode(SiteTable.head(owner.name, method.name, owner.sourceFile), lines);
    shape = shapeOf(resumable);
    for (Site s : reachable) {
      rewriteSite(s);
    }

    // 7. The rest of the prologue, the dispatch to the restore blocks, and the blocks.
    LabelNode dispatch = new LabelNode();
    InsnList mode = new InsnList();
    loadModeInFiber(mode, body);
    mode.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    mode.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    mode.add(new IntInsnNode(Opcodes.BIPUSH, REWINDING));
    mode.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, dispatch));
    mode.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    mode.add(new InsnNode(Opcodes.ICONST_0));
    mode.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "mode", "I"));
    checkArmedForMe(mode, body);
    mode.add(body);
    insns.insert(headEnd, mode);

    InsnList tail = new InsnList();
    LabelNode code = body;
    if (far) { // the prologue goes on to the code over the dispatch and save blocks, with 32 bits
      code = new LabelNode();
      farGoto(tail, code);
    }
    tail.add(dispatch);
    tail.add(new InsnNode(Opcodes.ICONST_1));
    tail.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    if (hasBudget) {
      tail.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
      tail.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
    }
    LabelNode corrupt = new LabelNode();
    if (!resumable.isEmpty()) {
      tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      tail.add(intConst(shape));
      tail.add(new LdcInsnNode(siteTable));
      tail.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "popFrame", "(ILjava/lang/String;)I", false));
      // A switch costs four bytes per call site; a chain of range checks (each layout's sites are
      // numbered in a row) a few per layout: the chain when a few layouts cover many sites.
      boolean chain = layouts.size() * (far ? 22 : 9) < resumable.size() * 4;
      if (chain) {
        tail.add(new VarInsnNode(Opcodes.ISTORE, entryLocal));
        for (Layout layout : layouts) {
          int last = layout.sites.get(layout.sites.size() - 1).entry;
          LabelNode next = new LabelNode();
          tail.add(new VarInsnNode(Opcodes.ILOAD, entryLocal));
          tail.add(intConst(last));
          tail.add(new JumpInsnNode(Opcodes.IF_ICMPGT, next));
          farGoto(tail, layout.restore);
          tail.add(next);
        }
      } else {
        if (anyShared) {
          tail.add(new InsnNode(Opcodes.DUP));
          tail.add(new VarInsnNode(Opcodes.ISTORE, entryLocal));
        }
        LabelNode[] targets = new LabelNode[resumable.size()];
        for (int k = 0; k < targets.length; k++) {
          targets[k] = resumable.get(k).layout.restore;
        }
        tail.add(new TableSwitchInsnNode(0, targets.length - 1, corrupt, targets));
      }
    }
    tail.add(corrupt);
    throwMismatch(tail);
    InsnList restores = new InsnList();
    for (Layout layout : layouts) {
      saveBlock(layout, tail);
      restoreBlock(layout, restores);
    }
    if (far) {
      tail.add(code);
      insns.insert(body, tail);
    } else {
      tail.add(restores);
      restores = tail;
    }
    insns.add(restores);
    addCatchAll(resumable);

    if (method.visibleAnnotations == null) {
      method.visibleAnnotations = new ArrayList<>();
    }
    method.visibleAnnotations.add(new AnnotationNode(INSTRUMENTED_DESC));
  }

  /**
   * Whether the loop closed by {@code backEdge} reads or writes an array element anywhere in its
   * body (the instructions from its head to the back-edge, nested loops included): such a loop
   * gets the countdown. The JIT unrolls those loops, which a volatile read on every turn stops (a
   * sum over an {@code int[]} ran 1.5 to 2.5 times slower with it than with the countdown); a loop
   * without array accesses has nothing of the kind to lose.
   */
  private boolean needsBudget(JumpInsnNode backEdge) {
    for (AbstractInsnNode i = backEdge.label; i != backEdge; i = i.getNext()) {
      int op = i.getOpcode();
      if ((op >= Opcodes.IALOAD && op <= Opcodes.SALOAD)
          || (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The stress mode's yield point: a call to {@code FrameStack.stressPoint()} at the very start of
   * the method, guarded by the constant {@code FrameStack.STRESS_YIELD} (so the JIT drops it when
   * the mode is off) and made a call site of its own. A stress yield there unwinds every caller at
   * its real call site, so their save and restore code runs with real values; one site per method
   * costs less code than one beside every call. None in a synchronized method, which pins.
   */
  private void insertStressPoint(List<Site> sites, boolean synchronizedMethod) {
    if (synchronizedMethod) {
      return;
    }
    LabelNode skip = new LabelNode();
    MethodInsnNode point =
        new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "stressPoint", "()V", false);
    InsnList check = new InsnList();
    check.add(new FieldInsnNode(Opcodes.GETSTATIC, FRAME_STACK, "STRESS_YIELD", "Z"));
    check.add(new JumpInsnNode(Opcodes.IFEQ, skip));
    check.add(point);
    check.add(skip);
    method.instructions.insert(check);
    sites.add(new Site(point, false));
  }

  /**
   * Starts every exception handler with {@code FrameStack.clearArm()}: the exception may have been
   * thrown between an arm and the callee's prologue. javac's handlers that release a monitor are
   * left as they are: they cover themselves (a failed release is retried), so a call added there
   * would be retried too, and what reaches them comes from pinned call sites, whose stale arm only
   * pins a suspension made before the next instrumented frame clears it.
   */
  private void clearArmInHandlers() {
    Set<LabelNode> handlers = new HashSet<>();
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      if (handlers.add(tcb.handler) && !coversItself(tcb.handler)) {
        method.instructions.insert(tcb.handler, clearArm());
      }
    }
  }

  /** Whether a handler lies in a range that it handles itself, as javac's monitor releases do. */
  private boolean coversItself(LabelNode handler) {
    InsnList insns = method.instructions;
    int at = insns.indexOf(handler);
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      if (tcb.handler == handler && insns.indexOf(tcb.start) <= at && at < insns.indexOf(tcb.end)) {
        return true;
      }
    }
    return false;
  }

  private static MethodInsnNode clearArm() {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "clearArm", "()V", false);
  }

  /**
   * Ends the exception table with a catch-all that clears a stale arm and rethrows, for an
   * exception that leaves the method: the frame that catches it may be a plain one that then calls
   * a rewritten method. Only a call instruction can throw between an arm and the callee's prologue
   * (a null receiver, a failed class initialisation or resolution, a stack overflow), so it covers
   * exactly the unpinned call instructions: never a monitor region (C2 refuses a handler reached
   * at several monitor depths) and no other instruction of the body.
   */
  private void addCatchAll(List<Site> unpinned) {
    if (unpinned.isEmpty()) {
      return;
    }
    InsnList insns = method.instructions;
    LabelNode handler = new LabelNode();
    for (Site s : unpinned) {
      LabelNode start = new LabelNode();
      LabelNode end = new LabelNode();
      insns.insertBefore(s.call, start);
      insns.insert(s.call, end);
      method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }
    insns.add(handler);
    insns.add(clearArm());
    insns.add(new InsnNode(Opcodes.ATHROW));
  }

  /**
   * The prologue's check that an arm is meant for this frame: when ARMED (pinned or not), the
   * caller's {@code s.armedFor} must be {@code this} (for a static method, {@code s.armedStatic()}
   * must be its class token);
   * otherwise a frame the agent did not rewrite may sit in between, and {@code
   * s.armedThrough(OwnClass.class)} decides whether ARMED is kept (it needs the callee's class: a
   * lambda proxy keeps the arm for its own targets only). The PINNED bit is kept either way.
   */
  private void checkArmedForMe(InsnList out, LabelNode ok) {
    out.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    out.add(new InsnNode(Opcodes.ICONST_2)); // PINNED
    out.add(new InsnNode(Opcodes.IOR));
    out.add(new InsnNode(Opcodes.ICONST_3)); // ARMED | PINNED: ok is ARMED, pinned or not
    out.add(new JumpInsnNode(Opcodes.IF_ICMPNE, ok));
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
    if (isStatic) {
      // The class of a static arm is kept in the carrier thread, not in the fiber (see
      // FrameStack.armStatic): armedStatic() reads it there, or armedFor when that is set.
      out.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedStatic", "()Ljava/lang/Object;", false));
      out.add(classToken(owner.name));
      out.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, ok));
      out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      out.add(classToken(owner.name));
      out.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThroughStatic", "(Ljava/lang/Class;)I", false));
      keepPinned(out);
      return;
    }
    out.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "armedFor", "Ljava/lang/Object;"));
    out.add(new VarInsnNode(Opcodes.ALOAD, 0));
    if (mayRunOnAProxy()) {
      // A proxy reaches its interface's default method only through its handler, which the
      // receiver comparison cannot see: the arm is never for a proxy. One type check, on the fast
      // path of interface default methods only.
      LabelNode notMe = new LabelNode();
      out.add(new JumpInsnNode(Opcodes.IF_ACMPNE, notMe));
      out.add(new VarInsnNode(Opcodes.ALOAD, 0));
      out.add(new TypeInsnNode(Opcodes.INSTANCEOF, "java/lang/reflect/Proxy"));
      out.add(new JumpInsnNode(Opcodes.IFEQ, ok));
      out.add(notMe);
    } else {
      out.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, ok));
    }
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    if ((owner.version & 0xFFFF) >= Opcodes.V1_5) { // a class constant loads from Java 5 on
      out.add(new LdcInsnNode(Type.getObjectType(owner.name)));
      out.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThrough", "(Ljava/lang/Class;)I", false));
    } else {
      out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThrough", "()I", false));
    }
    keepPinned(out);
  }

  /** {@code ok = <armed bits on the stack> | (ok & PINNED)}: a monitor held above stays held. */
  private void keepPinned(InsnList out) {
    out.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    out.add(new InsnNode(Opcodes.ICONST_2)); // PINNED
    out.add(new InsnNode(Opcodes.IAND));
    out.add(new InsnNode(Opcodes.IOR));
    out.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
  }

  /**
   * Whether {@code this} can be a {@code java.lang.reflect.Proxy}: a proxy class is final and
   * implements only interfaces, so only an interface's default method (instance, not private) runs
   * with a proxy as its receiver, called through {@code InvocationHandler.invokeDefault}.
   */
  private boolean mayRunOnAProxy() {
    return (owner.access & Opcodes.ACC_INTERFACE) != 0
        && (method.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_ABSTRACT)) == 0;
  }

  /**
   * What a static call arms with ({@code FrameStack.armStatic}), and what a static callee compares
   * {@code FrameStack.armedStatic()} with: the class named by the call (the constant pool already
   * holds it), or null in a class file too old to load a class constant (before Java 5).
   */
  private AbstractInsnNode classToken(String internalName) {
    return (owner.version & 0xFFFF) >= Opcodes.V1_5
        ? new LdcInsnNode(Type.getObjectType(internalName))
        : new InsnNode(Opcodes.ACONST_NULL);
  }

  /** Pushes {@code s.mode}, or jumps to {@code onPlainThread} when {@code s} is null. */
  private void loadModeInFiber(InsnList out, LabelNode onPlainThread) {
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new JumpInsnNode(Opcodes.IFNULL, onPlainThread));
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "mode", "I"));
  }

  private Frame<BasicValue>[] analyze() {
    List<Type> interfaces = new ArrayList<>();
    for (String i : owner.interfaces) {
      interfaces.add(Type.getObjectType(i));
    }
    HierarchyVerifier verifier =
        new HierarchyVerifier(
            hierarchy,
            Type.getObjectType(owner.name),
            owner.superName == null ? null : Type.getObjectType(owner.superName),
            interfaces,
            (owner.access & Opcodes.ACC_INTERFACE) != 0);
    try {
      return new Analyzer<>(verifier).analyze(owner.name, method);
    } catch (AnalyzerException e) {
      throw new UntransformableException(
          "cannot analyse " + method.name + method.desc + ": " + e.getMessage());
    }
  }

  private Frame<SourceValue>[] analyzeSources() {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
    } catch (AnalyzerException e) {
      throw new UntransformableException(
          "cannot analyse " + method.name + method.desc + ": " + e.getMessage());
    }
  }

  /** The local a call's receiver comes straight from, if that local still holds it at the call. */
  private int receiverLocalOf(Site s, Frame<SourceValue>[] sources, int at) {
    Frame<SourceValue> here = sources[at];
    if (here == null) {
      return -1;
    }
    int under = here.getStackSize() - Type.getArgumentTypes(s.call.desc).length - 1;
    SourceValue receiver = here.getStack(under);
    if (receiver.insns.size() != 1) {
      return -1;
    }
    AbstractInsnNode load = receiver.insns.iterator().next();
    if (load.getOpcode() != Opcodes.ALOAD) {
      return -1;
    }
    int local = ((VarInsnNode) load).var;
    if (local >= originalMaxLocals) {
      return -1;
    }
    Frame<SourceValue> atLoad = sources[method.instructions.indexOf(load)];
    if (atLoad == null || !atLoad.getLocal(local).insns.equals(here.getLocal(local).insns)) {
      return -1; // the local was written in between
    }
    return isSaved(s.frame.getLocal(local)) ? local : -1;
  }

  /**
   * What a suspended frame saves at a call site. Call sites whose layouts are equal (the same
   * return size, the same types under the call, the same locals of the same types, the same
   * temporaries) share one save block and one restore block, reached with the call-site index in
   * {@link #entryLocal}: a method with thousands of calls and a few dozen layouts stays far below
   * 64 KB.
   */
  private static final class Layout {
    final List<Site> sites = new ArrayList<>();
    final LabelNode save = new LabelNode();
    final LabelNode restore = new LabelNode();

    boolean isShared() {
      return sites.size() > 1;
    }
  }

  /** Decides which temporaries a site needs: a copy of its receiver, kept arguments. */
  private void prepareSite(Site s) {
    MethodInsnNode call = s.call;
    Type[] args = Type.getArgumentTypes(call.desc);
    Frame<BasicValue> f = s.frame;
    boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
    s.receiverCopy = hasReceiver && s.receiverFromLocal < 0;
    if (s.receiverCopy) {
      BasicValue receiver = f.getStack(under(s));
      s.receiverType = isNull(receiver) ? Type.getObjectType(call.owner) : receiver.getType();
    }
    // An interface call may reach a method reference's proxy, which a resume re-enters before the
    // target's prologue: it calls an unbound target on its first argument and unboxes or casts the
    // others, so every reference argument must be real again (primitive dummies convert safely).
    s.keep = new boolean[args.length];
    for (int k = 0; k < args.length; k++) {
      s.keep[k] = call.getOpcode() == Opcodes.INVOKEINTERFACE && isReference(args[k]);
    }
  }

  /** The number of operand stack values under a site's receiver and arguments. */
  private static int under(Site s) {
    int args = Type.getArgumentTypes(s.call.desc).length;
    return s.frame.getStackSize() - args - (s.call.getOpcode() != Opcodes.INVOKESTATIC ? 1 : 0);
  }

  /** Whether local {@code l} is saved at a site: defined, not null, and live (compact: defined). */
  private boolean saves(Site s, int l) {
    return isSaved(s.frame.getLocal(l)) && (compact || s.liveAfter.get(l));
  }

  /** Whether local {@code l} is the constant null at a site and read later: restored as null. */
  private boolean restoresNull(Site s, int l) {
    return isNull(s.frame.getLocal(l)) && (compact || s.liveAfter.get(l));
  }

  /** A string equal for two sites exactly when their save and restore blocks would be equal. */
  private String layoutKey(Site s) {
    Frame<BasicValue> f = s.frame;
    StringBuilder k = new StringBuilder();
    Type ret = Type.getReturnType(s.call.desc); // the dummy result is dropped: only its kind counts
    k.append(ret.getSort() == Type.VOID ? "V" : slotKind(ret)[1]).append('|');
    for (int j = 0; j < under(s); j++) {
      k.append(typeKey(f.getStack(j))).append(',');
    }
    k.append('|');
    for (int l = 0; l < originalMaxLocals; l++) {
      if (saves(s, l) || restoresNull(s, l)) {
        k.append(l).append(':').append(typeKey(f.getLocal(l))).append(',');
      }
    }
    k.append('|');
    if (s.receiverCopy) {
      k.append(s.receiverType.getDescriptor());
    }
    k.append('|');
    Type[] args = Type.getArgumentTypes(s.call.desc);
    int[] slots = argSlots(args);
    for (int a = 0; a < args.length; a++) {
      if (s.keep[a]) {
        k.append(slots[a]).append(':').append(args[a].getDescriptor()).append(',');
      }
    }
    return k.toString();
  }

  private static String typeKey(BasicValue v) {
    return isNull(v) ? "N" : v.getType().getDescriptor();
  }

  /**
   * The code around one call: keep the receiver (and the arguments a proxy needs), arm, mark where
   * a resume re-enters, and after the call jump to the save code when the callee unwinds.
   */
  private void rewriteSite(Site s) {
    InsnList insns = method.instructions;
    MethodInsnNode call = s.call;
    Type[] args = Type.getArgumentTypes(call.desc);
    boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
    Frame<BasicValue> f = s.frame;
    for (int j = 0; j < f.getStackSize(); j++) {
      checkSavable(f.getStack(j));
    }

    InsnList before = new InsnList();
    boolean keepArgs = false;
    for (int k = 0; !s.pinned && k < args.length; k++) {
      keepArgs |= s.keep[k];
    }
    int[] slots = argSlots(args);
    if (s.receiverCopy || keepArgs) {
      for (int k = args.length - 1; k >= 0; k--) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ISTORE), slots[k]));
      }
      if (s.receiverCopy) {
        before.add(new InsnNode(Opcodes.DUP));
        before.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
      }
      for (int k = 0; k < args.length; k++) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ILOAD), slots[k]));
      }
    }
    if (compact && !s.pinned) { // the target is evaluated before anything is armed: ldc may throw
      before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      before.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
      before.add(armedFor(s));
      before.add(new MethodInsnNode(
          Opcodes.INVOKESTATIC, FRAME_STACK, "arm", "(" + FRAME_STACK_DESC + "ILjava/lang/Object;)V", false));
    } else {
      LabelNode armed = new LabelNode();
      before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      before.add(new JumpInsnNode(Opcodes.IFNULL, armed));
      // The callee checks that the arm is its own, pinned or not: a plain frame between a pinned
      // arm and a rewritten method must fail as it does without the monitor. Stored first: ldc
      // may throw.
      before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      before.add(armedFor(s));
      if (s.call.getOpcode() == Opcodes.INVOKESTATIC) {
        // The class goes into the carrier thread, not into the (long-lived) fiber: see
        // FrameStack.armStatic.
        before.add(new MethodInsnNode(
            Opcodes.INVOKESTATIC, FRAME_STACK, "armStatic", "(" + FRAME_STACK_DESC + "Ljava/lang/Class;)V", false));
      } else {
        before.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "armedFor", "Ljava/lang/Object;"));
      }
      before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      before.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
      if (s.pinned) {
        before.add(new InsnNode(Opcodes.ICONST_2));
        before.add(new InsnNode(Opcodes.IOR));
      }
      before.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "mode", "I"));
      before.add(armed);
    }
    before.add(s.invoke);
    insns.insertBefore(call, before);
    if (s.pinned) {
      return; // never unwinds: no check, no save, no restore
    }

    // After the call: did the callee start an unwind?
    InsnList after = new InsnList();
    LabelNode save = !compact && s.layout.isShared() ? s.save : s.layout.save;
    LabelNode cont = new LabelNode();
    if (compact) {
      after.add(intConst(s.entry));
      after.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      after.add(new MethodInsnNode(
          Opcodes.INVOKESTATIC, FRAME_STACK, "unwinding", "(I" + FRAME_STACK_DESC + ")Z", false));
      after.add(far ? new JumpInsnNode(Opcodes.IFEQ, cont) : new JumpInsnNode(Opcodes.IFNE, save));
    } else {
      loadModeInFiber(after, cont);
      after.add(new InsnNode(Opcodes.ICONST_4));
      after.add(far ? new JumpInsnNode(Opcodes.IF_ICMPNE, cont) : new JumpInsnNode(Opcodes.IF_ICMPEQ, save));
    }
    if (far) { // a backward goto to the save code, widened on the spot when it is long
      after.add(new JumpInsnNode(Opcodes.GOTO, save));
    }
    after.add(cont);
    insns.insert(call, after);
  }

  /**
   * The method's shape, as {@code FrameStack}'s comment defines it: a hash, cut to 14 bits, of its
   * name and descriptor and, per resumable site in entry order, the call and the layout key of the
   * values saved there. A class changed while a fiber is suspended in it gets another shape unless
   * every call and every saved kind and type stayed, so the resume fails clearly instead of
   * restoring slots into the wrong locals. Built from strings only, so the same method always gets
   * the same shape, ahead of time or at load.
   */
  private int shapeOf(List<Site> resumable) {
    int h = (method.name + method.desc).hashCode();
    for (Site s : resumable) {
      h = 31 * h + (s.call.owner + '.' + s.call.name + s.call.desc).hashCode();
      h = 31 * h + layoutKey(s).hashCode();
    }
    return (h ^ (h >>> 14) ^ (h >>> 28)) & 0x3FFF;
  }

  /** The object the call is armed for: its receiver, or for a static call its class token. */
  private AbstractInsnNode armedFor(Site s) {
    if (s.call.getOpcode() == Opcodes.INVOKESTATIC) {
      return classToken(s.call.owner);
    }
    return new VarInsnNode(Opcodes.ALOAD, s.receiverCopy ? receiverLocal : s.receiverFromLocal);
  }

  /**
   * The save block of a layout: the dummy result dropped, the operand stack under the call pushed
   * (top first), then the locals, then the temporaries, then the frame record; returns a dummy.
   * Shared by the layout's sites; in the inline form each shared site first stores its index.
   */
  private void saveBlock(Layout layout, InsnList tail) {
    Site rep = layout.sites.get(0);
    Frame<BasicValue> f = rep.frame;
    if (!compact && layout.isShared()) {
      for (Site s : layout.sites) {
        tail.add(s.save);
        tail.add(intConst(s.entry));
        tail.add(new VarInsnNode(Opcodes.ISTORE, entryLocal));
        tail.add(new JumpInsnNode(Opcodes.GOTO, layout.save));
      }
    }
    tail.add(layout.save);
    int retSize = Type.getReturnType(rep.call.desc).getSize();
    if (retSize == 2) {
      tail.add(new InsnNode(Opcodes.POP2));
    } else if (retSize == 1) {
      tail.add(new InsnNode(Opcodes.POP));
    }
    for (int j = under(rep) - 1; j >= 0; j--) {
      BasicValue v = f.getStack(j);
      if (isNull(v)) {
        tail.add(new InsnNode(Opcodes.POP));
      } else {
        push(tail, v.getType());
      }
    }
    for (int l = 0; l < originalMaxLocals; l++) {
      if (saves(rep, l)) {
        Type t = f.getLocal(l).getType();
        tail.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), l));
        push(tail, t);
      }
    }
    if (rep.receiverCopy) {
      tail.add(new VarInsnNode(Opcodes.ALOAD, receiverLocal));
      push(tail, rep.receiverType);
    }
    Type[] args = Type.getArgumentTypes(rep.call.desc);
    int[] slots = argSlots(args);
    for (int k = 0; k < args.length; k++) {
      if (rep.keep[k]) {
        tail.add(new VarInsnNode(Opcodes.ALOAD, slots[k]));
        push(tail, args[k]);
      }
    }
    if (compact) {
      tail.add(intConst(shape));
      tail.add(new LdcInsnNode(siteTable));
      tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      tail.add(new MethodInsnNode(
          Opcodes.INVOKESTATIC, FRAME_STACK, "pushFrame", "(ILjava/lang/String;" + FRAME_STACK_DESC + ")V", false));
    } else {
      tail.add(layout.isShared() ? new VarInsnNode(Opcodes.ILOAD, entryLocal) : intConst(rep.entry));
      tail.add(intConst(shape));
      tail.add(new LdcInsnNode(siteTable));
      tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      tail.add(new MethodInsnNode(
          Opcodes.INVOKESTATIC, FRAME_STACK, "pushFrame", "(IILjava/lang/String;" + FRAME_STACK_DESC + ")V", false));
    }
    returnDummy(tail);
  }

  /**
   * The restore block of a layout, in the reverse order of its save block; then, per site, the
   * receiver and dummy arguments pushed again and a jump back to the call, chosen by a switch on
   * the index when the block is shared.
   */
  private void restoreBlock(Layout layout, InsnList tail) {
    Site rep = layout.sites.get(0);
    Frame<BasicValue> f = rep.frame;
    tail.add(layout.restore);
    Type[] args = Type.getArgumentTypes(rep.call.desc);
    int[] slots = argSlots(args);
    for (int k = args.length - 1; k >= 0; k--) {
      if (rep.keep[k]) {
        pop(tail, args[k]);
        tail.add(new VarInsnNode(Opcodes.ASTORE, slots[k]));
      }
    }
    if (rep.receiverCopy) {
      pop(tail, rep.receiverType);
      tail.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
    }
    for (int l = originalMaxLocals - 1; l >= 0; l--) {
      if (saves(rep, l)) {
        Type t = f.getLocal(l).getType();
        pop(tail, t);
        tail.add(new VarInsnNode(t.getOpcode(Opcodes.ISTORE), l));
      } else if (restoresNull(rep, l)) {
        tail.add(new InsnNode(Opcodes.ACONST_NULL));
        tail.add(new VarInsnNode(Opcodes.ASTORE, l));
      }
    }
    for (int j = 0; j < under(rep); j++) {
      BasicValue v = f.getStack(j);
      if (isNull(v)) {
        tail.add(new InsnNode(Opcodes.ACONST_NULL));
      } else {
        pop(tail, v.getType());
      }
    }
    if (!layout.isShared()) {
      reenter(rep, tail);
      return;
    }
    LabelNode[] targets = new LabelNode[layout.sites.size()];
    for (int k = 0; k < targets.length; k++) {
      targets[k] = new LabelNode();
    }
    LabelNode corrupt = new LabelNode();
    int first = layout.sites.get(0).entry;
    tail.add(new VarInsnNode(Opcodes.ILOAD, entryLocal));
    tail.add(new TableSwitchInsnNode(first, first + targets.length - 1, corrupt, targets));
    for (int k = 0; k < targets.length; k++) {
      tail.add(targets[k]);
      reenter(layout.sites.get(k), tail);
    }
    tail.add(corrupt); // unreachable unless the record lies; the operand stack differs from the top's
    throwMismatch(tail);
  }

  /** Pushes a site's receiver and dummy arguments (the kept ones real) and jumps to its call. */
  private void reenter(Site s, InsnList tail) {
    Type[] args = Type.getArgumentTypes(s.call.desc);
    int[] slots = argSlots(args);
    if (s.call.getOpcode() != Opcodes.INVOKESTATIC) {
      tail.add(new VarInsnNode(Opcodes.ALOAD, s.receiverCopy ? receiverLocal : s.receiverFromLocal));
    }
    for (int k = 0; k < args.length; k++) {
      tail.add(s.keep[k] ? new VarInsnNode(Opcodes.ALOAD, slots[k]) : zero(args[k]));
    }
    tail.add(new JumpInsnNode(Opcodes.GOTO, s.invoke));
  }

  /**
   * A forward jump that may be long: in the far arrangement an empty {@code lookupswitch}, whose
   * offset has 32 bits, so that the class writer never has to widen a forward jump itself.
   */
  private void farGoto(InsnList out, LabelNode target) {
    if (far) {
      out.add(new InsnNode(Opcodes.ICONST_0));
      out.add(new LookupSwitchInsnNode(target, new int[0], new LabelNode[0]));
    } else {
      out.add(new JumpInsnNode(Opcodes.GOTO, target));
    }
  }

  /** Throws {@code FrameStack.mismatch(siteTable)}: a frame record that names no call site here. */
  private void throwMismatch(InsnList out) {
    out.add(new LdcInsnNode(siteTable));
    out.add(new MethodInsnNode(
        Opcodes.INVOKESTATIC, FRAME_STACK, "mismatch", "(Ljava/lang/String;)Ljava/lang/IllegalStateException;", false));
    out.add(new InsnNode(Opcodes.ATHROW));
  }

  private static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }

  private int[] argSlots(Type[] args) {
    int[] slots = new int[args.length];
    int next = argLocals;
    for (int k = 0; k < args.length; k++) {
      slots[k] = next;
      next += args[k].getSize();
    }
    return slots;
  }

  private static int argSize(String desc) {
    int size = 0;
    for (Type t : Type.getArgumentTypes(desc)) {
      size += t.getSize();
    }
    return size;
  }

  private void checkSavable(BasicValue v) {
    if (v == null || v.getType() == null || v == BasicValue.RETURNADDRESS_VALUE) {
      throw new UntransformableException(
          "a subroutine return address or an unknown value is live across a suspendable call in "
              + method.name + method.desc);
    }
  }

  private static boolean isNull(BasicValue v) {
    Type t = v.getType();
    return t != null && t.getSort() == Type.OBJECT && t.getInternalName().equals("null");
  }

  /** Whether a local holds a value that must be saved (defined, and not the constant null). */
  private static boolean isSaved(BasicValue v) {
    if (v == null || v.getType() == null || v == BasicValue.UNINITIALIZED_VALUE) {
      return false;
    }
    if (v == BasicValue.RETURNADDRESS_VALUE || v.getType().getSort() == Type.VOID) {
      return false;
    }
    return !isNull(v);
  }

  /**
   * How the frame stack keeps a value of type {@code t}: the suffix of its push and pop methods and
   * the descriptor of the value they take and give. Sub-int types travel as ints, every reference as
   * an Object (cast back on restore).
   */
  private static String[] slotKind(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return new String[] {"Int", "I"};
      case Type.FLOAT:
        return new String[] {"Float", "F"};
      case Type.LONG:
        return new String[] {"Long", "J"};
      case Type.DOUBLE:
        return new String[] {"Double", "D"};
      default:
        return new String[] {"Ref", "Ljava/lang/Object;"};
    }
  }

  /** Saves the value on top of the operand stack: {@code FrameStack.pushX(value, s)}. */
  private void push(InsnList out, Type t) {
    String[] kind = slotKind(t);
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new MethodInsnNode(
        Opcodes.INVOKESTATIC, FRAME_STACK, "push" + kind[0], "(" + kind[1] + FRAME_STACK_DESC + ")V", false));
  }

  /** Restores a value onto the operand stack: {@code s.popX()}, cast back to its type. */
  private void pop(InsnList out, Type t) {
    String[] kind = slotKind(t);
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, FRAME_STACK, "pop" + kind[0], "()" + kind[1], false));
    if (kind[0].equals("Ref") && !t.getInternalName().equals("java/lang/Object")) {
      out.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getInternalName()));
    }
  }

  private void returnDummy(InsnList out) {
    Type ret = Type.getReturnType(method.desc);
    if (ret.getSort() != Type.VOID) {
      out.add(zero(ret));
    }
    out.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
  }

  private static AbstractInsnNode zero(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return new InsnNode(Opcodes.ICONST_0);
      case Type.FLOAT:
        return new InsnNode(Opcodes.FCONST_0);
      case Type.LONG:
        return new InsnNode(Opcodes.LCONST_0);
      case Type.DOUBLE:
        return new InsnNode(Opcodes.DCONST_0);
      default:
        return new InsnNode(Opcodes.ACONST_NULL);
    }
  }

  private static AbstractInsnNode intConst(int v) {
    if (v <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + v);
    }
    if (v <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, v);
    }
    if (v <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, v);
    }
    return new LdcInsnNode(v);
  }

  /** The source line of a call, or 0 when the method has no line numbers before it. */
  private static int lineOf(MethodInsnNode call) {
    for (AbstractInsnNode i = call; i != null; i = i.getPrevious()) {
      if (i instanceof LineNumberNode) {
        return ((LineNumberNode) i).line;
      }
    }
    return 0;
  }
}
