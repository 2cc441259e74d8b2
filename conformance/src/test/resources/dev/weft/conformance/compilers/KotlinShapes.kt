// Compiled at test time by the Kotlin compiler; every method here is listed suspendable.
package weft.kotlin

import dev.weft.conformance.compilers.Pause
import dev.weft.conformance.compilers.Shapes

object Doubler {
    fun twice(p: Pause, x: Int): Int = p.pause(x) * 2
}

class Point(val x: Int, val y: Long) {
    companion object {
        fun of(p: Pause, x: Int): Point = Point(p.pause(x), p.pause(x + 1).toLong() * 10_000_000_000L)
    }
}

fun Int.plusPaused(p: Pause, y: Int): Int = this + p.pause(y)

class KotlinShapes : Shapes {
    override fun run(name: String, p: Pause): Any = when (name) {
        "loop" -> loop(p, 6)
        "tryFinally" -> tryFinally(p)
        "catchAfterResume" -> catchAfterResume(p)
        "when" -> (0..3).map { whenBranches(p, it) }.joinToString(",")
        "defaults" -> defaults(p, 1) + defaults(p, 1, 2) + defaults(p, 1, 2, "z")
        "companion" -> Point.of(p, 4).let { "${it.x}/${it.y}" }
        "object" -> Doubler.twice(p, 21)
        "inline" -> inlined(p)
        "lambda" -> closure(p)
        "localFun" -> localFun(p)
        "extension" -> 5.plusPaused(p, 6)
        else -> throw IllegalArgumentException(name)
    }

    private fun loop(p: Pause, n: Int): String {
        var sum = 0L
        var d = 0.5
        val parts = ArrayList<Int>()
        for (i in 0 until n) {
            sum += p.pause(i) * 1_000_000_007L
            d *= 2
            parts += p.pause(i * i)
        }
        var j = 0
        while (j < 3) {
            j += p.pause(1)
        }
        return "$sum $d $parts $j"
    }

    private fun tryFinally(p: Pause): String {
        val log = StringBuilder()
        for (i in 0 until 4) {
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

    private fun catchAfterResume(p: Pause): String =
        try {
            val v = p.pause(3)
            if (v == 3) throw IllegalStateException("after " + p.pause(v))
            "none"
        } catch (e: IllegalStateException) {
            e.message + "/" + p.pause(9)
        }

    private fun whenBranches(p: Pause, x: Int): String = when (val v = p.pause(x)) {
        0 -> "zero"
        1 -> "one"
        in 2..2 -> "two"
        else -> "many" + p.pause(v)
    }

    private fun defaults(p: Pause, a: Int, b: Int = p.pause(a + 10), c: String = "c" + p.pause(a)): String =
        "$a/$b/$c;"

    private inline fun <T> twice(f: () -> T): Pair<T, T> = Pair(f(), f())

    private fun inlined(p: Pause): String {
        var k = 0
        val r = twice { k += 1; p.pause(k * 7) }
        return "$r $k"
    }

    private fun closure(p: Pause): String {
        var captured = 100
        val f: (Int) -> Int = { x -> captured += 1; p.pause(x) + captured }
        val g = { s: String -> s + p.pause(s.length) }
        return "${f(1)} ${f(2)} ${g("abc")} $captured"
    }

    private fun localFun(p: Pause): Int {
        fun inner(x: Int): Int = if (x == 0) 0 else p.pause(x) + inner(x - 1)
        return inner(4)
    }
}
