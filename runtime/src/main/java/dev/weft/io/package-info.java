/**
 * Byte streams for fibers: {@link dev.weft.io.Reader} and {@link dev.weft.io.Writer}, whose calls
 * suspend the fiber rather than block its worker, and {@code LineReader}, which reads UTF-8 lines
 * from any {@code Reader}.
 *
 * <pre>{@code
 * LineReader lines = new LineReader(conn);
 * for (String line; (line = lines.readLine()) != null; ) System.out.println(line);
 * }</pre>
 */
package dev.weft.io;
