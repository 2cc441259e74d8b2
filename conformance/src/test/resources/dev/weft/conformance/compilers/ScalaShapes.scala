// Compiled at test time by scalac; every method here is listed suspendable.
package weft.scala

import dev.weft.conformance.compilers.{Pause, Shapes}

object Doubler {
  def twice(p: Pause, x: Int): Int = p.pause(x) * 2
}

case class Point(x: Int, y: Long)

object Point {
  def of(p: Pause, x: Int): Point = Point(p.pause(x), p.pause(x + 1).toLong * 10000000000L)
}

sealed trait Animal
case class Dog(name: String) extends Animal
case object Cat extends Animal

trait Greeter {
  def greet(p: Pause, n: Int): String = "hi" + p.pause(n)
}

class ScalaShapes extends Shapes with Greeter {
  override def run(name: String, p: Pause): AnyRef = name match {
    case "loop" => loop(p, 6)
    case "tryFinally" => tryFinally(p)
    case "catchAfterResume" => catchAfterResume(p)
    case "match" => matchAll(p)
    case "defaults" => defaults(p, 1) + defaults(p, 1, 2) + defaults(p, 1, 2, "z")
    case "companion" => val pt = Point.of(p, 4); s"${pt.x}/${pt.y}"
    case "object" => Integer.valueOf(Doubler.twice(p, 21))
    case "closure" => closure(p)
    case "trait" => greet(p, 3)
    case "localDef" => Integer.valueOf(localDef(p))
    case other => throw new IllegalArgumentException(other)
  }

  private def loop(p: Pause, n: Int): String = {
    var sum = 0L
    var d = 0.5
    val parts = new StringBuilder
    var i = 0
    while (i < n) {
      sum += p.pause(i) * 1000000007L
      d *= 2
      parts.append(p.pause(i * i)).append(' ')
      i += 1
    }
    s"$sum $d ${parts.toString.trim}"
  }

  private def tryFinally(p: Pause): String = {
    val log = new StringBuilder
    var i = 0
    while (i < 3) {
      try {
        log.append('t').append(p.pause(i))
        if (i == 2) throw new RuntimeException("x" + p.pause(i))
      } catch {
        case e: RuntimeException => log.append(e.getMessage)
      } finally {
        log.append('f').append(p.pause(i + 10))
      }
      i += 1
    }
    log.toString
  }

  private def catchAfterResume(p: Pause): String =
    try {
      val v = p.pause(3)
      if (v == 3) throw new IllegalStateException("after " + p.pause(v))
      "none"
    } catch {
      case e: IllegalStateException => e.getMessage + "/" + p.pause(9)
    }

  private def describe(p: Pause, a: Animal): String = a match {
    case Dog(n) if n.length > p.pause(3) => "big dog " + n
    case Dog(n) => "dog " + n + p.pause(n.length)
    case Cat => "cat" + p.pause(1)
  }

  private def matchAll(p: Pause): String = {
    val ints = (p.pause(0) match { case 0 => "zero"; case 1 => "one"; case _ => "many" }) +
      (p.pause(7) match { case 0 => "zero"; case 1 => "one"; case n => "many" + p.pause(n) })
    ints + "," + describe(p, Dog("rex")) + "," + describe(p, Dog("fido")) + "," + describe(p, Cat)
  }

  private def defaults(p: Pause, a: Int, b: Int = -1, c: String = "c"): String = {
    val bb = if (b == -1) p.pause(a + 10) else b
    s"$a/$bb/$c" + p.pause(0) + ";"
  }

  private def twice(f: () => String): String = f() + f()

  private def closure(p: Pause): String = {
    var captured = 100
    val f: String => String = s => { captured += 1; s + p.pause(captured) }
    val r = twice(() => f("x"))
    r + " " + captured
  }

  private def localDef(p: Pause): Int = {
    def inner(x: Int): Int = if (x == 0) 0 else p.pause(x) + inner(x - 1)
    inner(4)
  }
}
