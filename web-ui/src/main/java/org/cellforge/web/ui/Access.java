package org.cellforge.web.ui;

import jakarta.enterprise.event.Observes;
import jakarta.servlet.http.Cookie;

import org.cellforge.web.security.Roles;
import org.eclipse.microprofile.config.ConfigProvider;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinResponse;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.NavigationAccessControl;

/**
 * Who is signed in to the dashboard and what they may do. Views carry {@code @PermitAll} (any user)
 * or {@code @AnonymousAllowed} (the login page); every navigation is checked against them and an
 * anonymous visitor is sent to {@link LoginView}. The principal and roles are the request's, which
 * the server's security sets from the login cookie; every request from the browser is a plain HTTP
 * request (push only sends from the server), so each one is checked.
 *
 * <p>Controls that change something are shown to operators only; their handlers ask again, so a
 * viewer's forged event changes nothing either.
 */
public final class Access {

    private Access() {
    }

    /** Installs the navigation check in every UI the dashboard creates. */
    @jakarta.enterprise.context.ApplicationScoped
    static class Installer {
        void install(@Observes ServiceInitEvent event) {
            NavigationAccessControl control = new NavigationAccessControl();
            control.setLoginView(LoginView.class);
            event.getSource().addUIInitListener(ui -> ui.getUI().addBeforeEnterListener(control));
        }
    }

    /** Whether the current request comes from a signed-in user. */
    static boolean signedIn() {
        VaadinRequest request = VaadinRequest.getCurrent();
        return request != null && request.getUserPrincipal() != null;
    }

    /** Whether the current request's user may change things. */
    static boolean operates() {
        VaadinRequest request = VaadinRequest.getCurrent();
        return request != null && request.isUserInRole(Roles.OPERATOR);
    }

    /**
     * Runs {@code change} if the current user is an operator; otherwise refuses with the reason.
     *
     * @throws SecurityException for anyone else
     */
    static void asOperator(Runnable change) {
        if (!operates()) {
            throw new SecurityException("only an operator may make changes");
        }
        change.run();
    }

    /**
     * The bar at the top of every view: who is signed in, with which role, the accounts page for
     * operators, a password change, and a way out.
     */
    static HorizontalLayout bar() {
        VaadinRequest request = VaadinRequest.getCurrent();
        String name = request == null || request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName();
        Span who = new Span(name + " (" + (operates() ? Roles.OPERATOR : Roles.VIEWER) + ")");
        who.setId("signed-in-as");
        Button password = new Button("Password", e -> PasswordDialog.open(name));
        password.setId("change-password");
        password.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        Button out = new Button("Sign out", e -> signOut());
        out.setId("sign-out");
        out.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        HorizontalLayout bar = new HorizontalLayout(who);
        if (operates()) {
            com.vaadin.flow.router.RouterLink accounts = new com.vaadin.flow.router.RouterLink("Accounts",
                    AccountsView.class);
            accounts.setId("accounts-link");
            bar.add(accounts);
        }
        bar.add(password, out);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        bar.setWidthFull();
        bar.setJustifyContentMode(FlexComponent.JustifyContentMode.END);
        return bar;
    }

    /** Drops the login cookie and the session, then shows the login page. */
    private static void signOut() {
        String cookie = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.auth.form.cookie-name", String.class).orElse("quarkus-credential");
        Cookie gone = new Cookie(cookie, "");
        gone.setPath("/");
        gone.setMaxAge(0);
        gone.setHttpOnly(true);
        VaadinResponse response = VaadinResponse.getCurrent();
        if (response != null) {
            response.addCookie(gone);
        }
        UI ui = UI.getCurrent();
        VaadinSession session = VaadinSession.getCurrent();
        ui.getPage().setLocation("login");
        if (session != null) {
            session.getSession().invalidate();
        }
    }
}
