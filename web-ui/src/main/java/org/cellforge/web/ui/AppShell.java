package org.cellforge.web.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;

/**
 * The page every view lives in. {@code @Push} lets the server send a running search's new epochs and
 * trials to the browser as they are stored, over a WebSocket.
 */
@Push
public final class AppShell implements AppShellConfigurator {
}
