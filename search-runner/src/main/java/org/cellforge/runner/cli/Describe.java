package org.cellforge.runner.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.cellforge.controller.Cost;
import org.cellforge.engine.Spaces;
import org.cellforge.runner.Binding;
import org.cellforge.space.Architecture;
import org.cellforge.space.ArchitectureFormatException;
import org.cellforge.space.CanonicalForm;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.json.Json;

/** {@code cellforge describe}: what an architecture costs and computes, without training. */
final class Describe {

    private Describe() {
    }

    static int print(CommandLine.Describe d, PrintStream out, PrintStream err) {
        SearchSpace<?> space;
        try {
            space = Spaces.ofText(d.arch());
        } catch (IllegalArgumentException e) {
            err.println("cellforge: " + e.getMessage());
            return 2;
        }
        if (d.imageSize() % 4 != 0) {
            err.println("cellforge: --image-size: the networks of " + space.name() + " halve the image size twice, so "
                    + "it must be a multiple of 4, got " + d.imageSize());
            return 2;
        }
        try {
            return print(space, d, out);
        } catch (ArchitectureFormatException e) {
            err.println("cellforge: " + e.getMessage());
            return 2;
        }
    }

    private static <A extends Architecture> int print(SearchSpace<A> space, CommandLine.Describe d, PrintStream out) {
        A a = space.parse(d.arch());
        Binding<A> binding = Binding.of(space, d.channels(), d.cells(), d.inputChannels(), d.imageSize(),
                d.imageSize(), d.classes());
        Cost cost = binding.cost(a);
        CanonicalForm canonical = space.canonical(a);
        if (d.json()) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("space", space.name());
            root.put("arch", a.key());
            root.put("parameters", cost.parameters());
            root.put("flops", cost.flops());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("hash", canonical.hash());
            c.put("expression", canonical.expression());
            root.put("canonical", c);
            root.put("macro", binding.macro());
            root.put("imageSize", d.imageSize());
            out.println(Json.write(root));
            return 0;
        }
        out.printf(Locale.ROOT, "space       %s%n", space.name());
        out.printf(Locale.ROOT, "arch        %s%n", a.key());
        out.printf(Locale.ROOT, "macro       %s, %d input channel(s), %d classes, %dx%d images%n", binding.describe(),
                d.inputChannels(), d.classes(), d.imageSize(), d.imageSize());
        out.printf(Locale.ROOT, "parameters  %,d%n", cost.parameters());
        out.printf(Locale.ROOT, "flops       %,d multiply-accumulates per image (%s)%n", cost.flops(),
                Progress.flops(cost));
        out.printf(Locale.ROOT, "canonical   %s  %s%n", canonical.hash(), canonical.expression());
        return 0;
    }
}
