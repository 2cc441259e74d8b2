// Compiled at test time by groovyc; every method here is listed suspendable. Statically compiled:
// dynamic Groovy calls go through the Groovy runtime's call sites, frames no rewrite can reach.
package weft.groovy

import dev.weft.conformance.compilers.Pause
import dev.weft.conformance.compilers.Shapes
import groovy.transform.CompileStatic

@CompileStatic
class Doubler {
    static int twice(Pause p, int x) {
        p.pause(x) * 2
    }
}

@CompileStatic
class GroovyShapes implements Shapes {
    Object run(String name, Pause p) {
        switch (name) {
            case 'loop': return loop(p, 6)
            case 'tryFinally': return tryFinally(p)
            case 'catchAfterResume': return catchAfterResume(p)
            case 'switch': return switches(p)
            case 'defaults': return defaults(p, 1) + defaults(p, 1, 2)
            case 'static': return Doubler.twice(p, 21)
            case 'gstring': return gstring(p)
            default: throw new IllegalArgumentException(name)
        }
    }

    private String loop(Pause p, int n) {
        long sum = 0L
        double d = 0.5d
        List<Integer> parts = []
        for (int i in 0..<n) {
            sum += p.pause(i) * 1_000_000_007L
            d *= 2
            parts << p.pause(i * i)
        }
        int j = 0
        while (j < 3) {
            j += p.pause(1)
        }
        return sum + ' ' + d + ' ' + parts + ' ' + j
    }

    private String tryFinally(Pause p) {
        StringBuilder log = new StringBuilder()
        for (int i = 0; i < 4; i++) {
            try {
                log.append('t').append(p.pause(i))
                if (i == 1) continue
                if (i == 2) break
            } finally {
                log.append('f').append(p.pause(i + 10))
            }
        }
        return log.toString()
    }

    private String catchAfterResume(Pause p) {
        try {
            int v = p.pause(3)
            if (v == 3) throw new IllegalStateException('after ' + p.pause(v))
            return 'none'
        } catch (IllegalStateException e) {
            return e.message + '/' + p.pause(9)
        }
    }

    private String switches(Pause p) {
        StringBuilder out = new StringBuilder()
        for (int x = 0; x < 4; x++) {
            switch (p.pause(x)) {
                case 0: out.append('zero'); break
                case 1: out.append('one'); break
                default: out.append('many').append(p.pause(x * 10))
            }
            out.append(',')
        }
        return out.toString()
    }

    private String defaults(Pause p, int a, int b = 11) {
        return a + '/' + p.pause(b) + ';'
    }

    private String gstring(Pause p) {
        int a = p.pause(2)
        String s = "a=${a} b=${p.pause(3)}"
        return s
    }
}
