package main

import (
	"sync/atomic"
	"time"
)

// pingPong bounces a value between two goroutines over two unbuffered channels (exercise 9.5)
// and counts one-way messages per second, as the Java side does.
func pingPong(seconds, warmup float64) *result {
	ping := make(chan int)
	pong := make(chan int)
	var rounds int64
	var stop int32
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	go func() {
		var n int64
		for atomic.LoadInt32(&stop) == 0 {
			ping <- 1
			<-pong
			n++
			atomic.StoreInt64(&rounds, n)
		}
		close(ping)
	}()
	time.Sleep(time.Duration(warmup * float64(time.Second)))
	r0 := atomic.LoadInt64(&rounds)
	t0 := time.Now()
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	r1 := atomic.LoadInt64(&rounds)
	elapsed := time.Since(t0)
	atomic.StoreInt32(&stop, 1)
	messages := float64(2 * (r1 - r0))
	return (&result{}).metric("msgs_per_s", messages/elapsed.Seconds()).metric("messages", messages)
}
