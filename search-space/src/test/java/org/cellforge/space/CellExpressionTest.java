package org.cellforge.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpType;
import org.junit.jupiter.api.Test;

class CellExpressionTest {

    private static final CellExpression X = CellExpression.input("x");
    private static final CellExpression Y = CellExpression.input("y");
    private static final Op CONV = Op.of("c", OpType.CONV, 3);
    private static final Op POOL = Op.of("p", OpType.AVG_POOL, 3);
    private static final Op ZERO = Op.of("z", OpType.ZERO);
    private static final Op SKIP = Op.of("s", OpType.IDENTITY);

    @Test
    void sumsAreCommutativeAssociativeAndDropZero() {
        CellExpression a = CellExpression.sum(List.of(X, CellExpression.sum(List.of(Y, CellExpression.ZERO))));
        CellExpression b = CellExpression.sum(List.of(CellExpression.sum(List.of(Y, X))));
        assertEquals(a, b);
        assertEquals("x+y", a.toString());
        assertNotEquals(CellExpression.sum(List.of(X, X)), X, "x + x is 2x, not x");
    }

    @Test
    void linearOpsDistributeAndNonlinearOnesDoNot() {
        CellExpression sum = CellExpression.sum(List.of(X, Y));
        assertEquals(CellExpression.sum(List.of(X.apply(POOL, 1, 1, 1), Y.apply(POOL, 1, 1, 1))),
                sum.apply(POOL, 1, 1, 1));
        assertNotEquals(CellExpression.sum(List.of(X.apply(CONV, 1, 1, 1), Y.apply(CONV, 1, 1, 1))),
                sum.apply(CONV, 1, 1, 1));
    }

    @Test
    void zeroIdentityAndStrideFollowTheOpRole() {
        assertTrue(X.apply(ZERO, 1, 1, 1).isZero());
        assertTrue(CellExpression.ZERO.apply(CONV, 1, 1, 1).isZero());
        assertEquals(X, X.apply(SKIP, 1, 1, 1));
        assertNotEquals(X, X.apply(SKIP, 1, 1, 2), "skip with stride 2 is a factorized reduction");
        assertNotEquals(X.apply(POOL, 1, 1, 1), X.apply(POOL, 1, 1, 2));
    }

    @Test
    void aliasesWithTheSameDefinitionMerge() {
        assertEquals(X.apply(CONV, 1, 1, 1), X.apply(Op.of("other_name", OpType.CONV, 3), 1, 1, 1));
    }

    @Test
    void hashIsStableHexAndSeparatesSpaces() {
        CanonicalForm a = new CanonicalForm("s", "x");
        assertEquals(a.hash(), new CanonicalForm("s", "x").hash());
        assertTrue(a.hash().matches("[0-9a-f]{16}"), a.hash());
        assertNotEquals(a.hash(), new CanonicalForm("t", "x").hash());
    }

    @Test
    void inputNamesCannotBreakTheNotation() {
        assertThrows(IllegalArgumentException.class, () -> CellExpression.input("a+b"));
    }
}
