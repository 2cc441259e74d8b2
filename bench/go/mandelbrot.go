package main

import (
	"strconv"
	"sync"
	"time"
)

// mandelbrot renders the set over -2-2i..2+2i with one goroutine per row (exercise 8.5) and
// reports the median render time, the computation the Java side's MandelbrotRenderer does.
func mandelbrot(size, iterations, runs, warmups int) *result {
	palette := make([]uint32, iterations+1)
	for i := range palette[:iterations] {
		palette[i] = uint32(0x102040 + i*0x030201)
	}
	times := make([]int64, runs)
	for i := -warmups; i < runs; i++ {
		t0 := time.Now()
		render(size, iterations, palette)
		if i >= 0 {
			times[i] = int64(time.Since(t0))
		}
	}
	best := times[0]
	for _, t := range times {
		if t < best {
			best = t
		}
	}
	r := &result{config: []string{"size=" + strconv.Itoa(size), "iterations=" + strconv.Itoa(iterations)}}
	return r.metric("ms", float64(median(times))/1e6).metric("best_ms", float64(best)/1e6)
}

func render(size, iterations int, palette []uint32) []uint32 {
	rgb := make([]uint32, size*size)
	var wg sync.WaitGroup
	wg.Add(size)
	for y := 0; y < size; y++ {
		go func(y int) {
			defer wg.Done()
			im := -2 + 4*(float64(y)+0.5)/float64(size)
			base := y * size
			for x := 0; x < size; x++ {
				re := -2 + 4*(float64(x)+0.5)/float64(size)
				var zr, zi float64
				n := 0
				for n < iterations && zr*zr+zi*zi <= 4 {
					zr, zi = zr*zr-zi*zi+re, 2*zr*zi+im
					n++
				}
				rgb[base+x] = palette[n]
			}
		}(y)
	}
	wg.Wait()
	return rgb
}
