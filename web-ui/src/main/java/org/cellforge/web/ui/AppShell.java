package org.cellforge.web.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.shared.ui.Transport;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * The page every view lives in. {@code @Push} lets the server send a running search's new epochs and
 * trials to the browser as they are stored, over a WebSocket; the browser's own messages stay plain
 * HTTP requests, each one authenticated by the login cookie like any other (see {@link Access}). Vaadin 25 applies no theme unless one
 * is named: Lumo, served from its jar, needs no front-end build.
 */
@Push(transport = Transport.WEBSOCKET_XHR)
@StyleSheet(Lumo.STYLESHEET)
public final class AppShell implements AppShellConfigurator {
}
