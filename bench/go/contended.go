package main

import (
	"fmt"
	"os"
	"sort"
	"sync/atomic"
	"time"
)

// fanIn: four producers send on one channel buffered to 128 values; one consumer receives.
func fanIn(seconds, warmup float64, rounds int) *result {
	ch := make(chan int, 128)
	var received int64
	var stop int32
	for i := 0; i < 4; i++ {
		go produce(ch, &stop)
	}
	go func() {
		var n int64
		for range ch {
			n++
			atomic.StoreInt64(&received, n)
		}
	}()
	r := measureRounds("fanin", &received, seconds, warmup, rounds)
	atomic.StoreInt32(&stop, 1)
	return r
}

// selectIn: two producers, each on its own unbuffered channel; the consumer selects between them.
func selectIn(seconds, warmup float64, rounds int) *result {
	a := make(chan int)
	b := make(chan int)
	var received int64
	var stop int32
	go produce(a, &stop)
	go produce(b, &stop)
	go func() {
		var n int64
		for {
			select {
			case <-a:
			case <-b:
			}
			n++
			atomic.StoreInt64(&received, n)
		}
	}()
	r := measureRounds("select", &received, seconds, warmup, rounds)
	atomic.StoreInt32(&stop, 1)
	return r
}

func produce(ch chan<- int, stop *int32) {
	for atomic.LoadInt32(stop) == 0 {
		ch <- 1
	}
}

// echo: ping-pong with a fresh value each round, the counterpart of the Java echo shapes (Go has
// only the one shape, a range loop).
func echo(seconds, warmup float64, rounds int) *result {
	ping := make(chan int)
	pong := make(chan int)
	var messages int64
	var stop int32
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	go func() {
		n := 0
		for atomic.LoadInt32(&stop) == 0 {
			n++
			ping <- n
			if <-pong != n {
				fmt.Fprintln(os.Stderr, "the echo changed a value")
				os.Exit(1)
			}
			atomic.StoreInt64(&messages, 2*int64(n))
		}
		close(ping)
	}()
	r := measureRounds("echo", &messages, seconds, warmup, rounds)
	atomic.StoreInt32(&stop, 1)
	return r
}

// measureRounds times a counter over rounds of the given length after a warm-up; the median rate
// is the figure.
func measureRounds(name string, counter *int64, seconds, warmup float64, rounds int) *result {
	time.Sleep(time.Duration(warmup * float64(time.Second)))
	rates := make([]float64, rounds)
	for i := range rates {
		c0 := atomic.LoadInt64(counter)
		t0 := time.Now()
		time.Sleep(time.Duration(seconds * float64(time.Second)))
		c1 := atomic.LoadInt64(counter)
		rates[i] = float64(c1-c0) / time.Since(t0).Seconds()
	}
	fmt.Fprintln(os.Stderr, name, "rates per round:", rates)
	sort.Float64s(rates)
	return (&result{}).metric("msgs_per_s", rates[len(rates)/2]).
		metric("min_msgs_per_s", rates[0]).metric("max_msgs_per_s", rates[len(rates)-1])
}
