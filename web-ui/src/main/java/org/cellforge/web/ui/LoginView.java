package org.cellforge.web.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * The dashboard's sign-in. The form posts to the server's form authentication
 * ({@code j_security_check}), which checks the name and password like the API's Basic credentials,
 * sets an encrypted cookie and sends the browser to the searches; a failed attempt comes back here
 * with {@code ?error}.
 */
@Route("login")
@PageTitle("Cellforge: sign in")
@AnonymousAllowed
public final class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView() {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        form.setAction("j_security_check");
        form.setForgotPasswordButtonVisible(false);
        form.setId("login");
        add(new H1("Cellforge"), form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (Access.signedIn()) {
            event.forwardTo(SearchesView.class);
            return;
        }
        form.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }
}
