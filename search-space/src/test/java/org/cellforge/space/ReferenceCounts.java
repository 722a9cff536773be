package org.cellforge.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of parameter and FLOP counts measured on PyTorch modules by tests/tools/reference_counts.py
 * (NAS-Bench-201 networks from the shared torch reference script, DARTS networks, single operations).
 */
public final class ReferenceCounts {

    /**
     * One measured module.
     *
     * @param kind {@code nb201}, {@code darts} or {@code op}
     * @param arch arch string, DARTS genotype text, or operation name
     * @param a channels (networks) or input width (ops)
     * @param b cells per stage / layers (networks) or output width (ops)
     * @param c input channels (networks) or stride (ops)
     * @param classes classes (networks), 0 for ops
     * @param size image side
     * @param params torch's parameter count
     * @param flops multiply-accumulates of Conv2d and Linear layers per image
     */
    public record Row(String kind, String arch, int a, int b, int c, int classes, int size, long params, long flops) {
    }

    private ReferenceCounts() {
    }

    /** Rows of one kind. */
    public static List<Row> rows(String kind) {
        List<Row> out = new ArrayList<>();
        try (InputStream in = ReferenceCounts.class.getResourceAsStream("reference-counts.tsv")) {
            if (in == null) {
                throw new IllegalStateException("reference-counts.tsv is missing from the test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f[0].equals(kind)) {
                    out.add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                            Integer.parseInt(f[5]), Integer.parseInt(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
