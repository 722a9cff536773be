package org.cellforge.web.search;

import java.util.ArrayList;
import java.util.List;

import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;

/**
 * The JSON export of an architecture: the cell in both the public string and an explicit edge
 * list, the macro settings it was trained with, and where its accuracy comes from.
 *
 * @param format always {@value #FORMAT}
 * @param version format version, {@value #VERSION}
 * @param space search space name
 * @param arch public arch string
 * @param canonical hash of the cell's canonical form: equal for cells that compute the same function
 * @param edges the cell's edges with their operations
 * @param macro the macro network around the cell
 * @param dataset dataset it was trained on
 * @param validationAccuracy accuracy on the validation split
 * @param accuracyKind how that accuracy was obtained
 * @param parameters trainable parameter count
 * @param flops multiply-accumulates of convolutions and the classifier per image
 * @param searchId search it comes from
 * @param trialNumber trial it comes from
 * @param seed training seed
 * @param epochs training epochs
 */
public record GenotypeExport(String format, int version, String space, String arch, String canonical,
        List<Edge> edges, Nb201Macro macro, String dataset, Double validationAccuracy, String accuracyKind,
        Long parameters, Long flops, long searchId, int trialNumber, long seed, int epochs) {

    /** Identifies the document type. */
    public static final String FORMAT = "cellforge-genotype";

    /** Current format version. */
    public static final int VERSION = 1;

    /** One edge {@code from → to} and its operation. */
    public record Edge(int from, int to, String op) {
    }

    /** The edge list of {@code cell} in arch-string order. */
    public static List<Edge> edges(Nb201Cell cell) {
        List<Edge> edges = new ArrayList<>(Nb201Cell.EDGES);
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            edges.add(new Edge(Nb201Cell.from(e), Nb201Cell.to(e), cell.op(e)));
        }
        return edges;
    }
}
