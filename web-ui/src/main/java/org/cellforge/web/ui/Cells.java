package org.cellforge.web.ui;

import org.cellforge.engine.Spaces;
import org.cellforge.space.catalog.CellDiagram;

/** The drawings of stored architectures' cells. */
final class Cells {

    private Cells() {
    }

    /** The diagram JSON of architecture {@code arch} of space {@code space}, as the cell drawing reads it. */
    static String diagram(String space, String arch) {
        return CellDiagram.of(Spaces.require(space).parse(arch)).toJson();
    }
}
