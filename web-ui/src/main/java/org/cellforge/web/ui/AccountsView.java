package org.cellforge.web.ui;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.cellforge.controller.option.Violation;
import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.web.security.AccountService;
import org.cellforge.web.security.AccountService.AccountInfo;
import org.cellforge.web.security.Roles;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

/**
 * The server's database accounts, for operators: add one (the server makes its password unless one
 * is typed, and shows it this once), make it an operator or a viewer, give it a new password, remove
 * it. The same service as {@code /api/accounts} does the work, with the same checks: the last
 * operator account stays.
 */
@Route("accounts")
@PageTitle("Cellforge: accounts")
@RolesAllowed(Roles.OPERATOR)
public final class AccountsView extends VerticalLayout {

    private final AccountService accounts;
    private final Grid<AccountInfo> grid = new Grid<>(AccountInfo.class, false);
    private final TextField name = new TextField("Name");
    private final Select<String> role = new Select<>();
    private final PasswordField password = new PasswordField("Password");
    /** A password the server made just now; shown until the next change on this page. */
    private final Span shown = new Span();
    private final Span message = new Span();

    @Inject
    public AccountsView(AccountService accounts) {
        this.accounts = accounts;
        setSizeFull();
        name.setId("account-name");
        role.setLabel("Role");
        role.setItems(Roles.VIEWER, Roles.OPERATOR);
        role.setValue(Roles.VIEWER);
        role.setId("account-role");
        password.setId("account-password");
        password.setHelperText("leave empty to have one made and shown once");
        Button add = new Button("Add account", e -> add());
        add.setId("add-account");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, role, password, add);
        form.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
        shown.setId("shown-password");
        message.setId("account-message");
        message.getStyle().set("color", "var(--lumo-error-text-color)");

        grid.setId("accounts");
        grid.addColumn(AccountInfo::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(AccountInfo::role).setHeader("Role").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true);
        grid.setAllRowsVisible(true);

        add(Access.bar(), new RouterLink("All searches", SearchesView.class), new H2("Accounts"),
                new Span("Users kept in this server's database. Users from the server's configuration or an OpenID "
                        + "Connect provider are managed there."), form, shown, message, grid);
        refresh();
    }

    private HorizontalLayout actions(AccountInfo a) {
        String other = a.role().equals(Roles.OPERATOR) ? Roles.VIEWER : Roles.OPERATOR;
        Button role = small("Make " + other, "role-" + a.name(), () -> show(accounts.change(a.name(), other, null,
                false)));
        Button renew = small("New password", "renew-" + a.name(), () -> show(accounts.change(a.name(), null, null,
                true)));
        Button remove = small("Remove", "remove-" + a.name(), () -> {
            ConfirmDialog confirm = new ConfirmDialog("Remove account " + a.name() + "?", "It can no longer sign in; "
                    + "its searches stay.", "Remove", c -> act(() -> accounts.remove(a.name())));
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.setId("confirm-remove-" + a.name());
            confirm.open();
        });
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(role, renew, remove);
    }

    private Button small(String text, String id, Runnable action) {
        Button b = new Button(text, e -> act(action));
        b.setId(id);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return b;
    }

    private void add() {
        act(() -> {
            AccountInfo made = accounts.create(name.getValue().strip(), role.getValue(),
                    password.getValue().isEmpty() ? null : password.getValue());
            name.clear();
            password.clear();
            show(made);
        });
    }

    /** Shows a password the server made, with the account it belongs to. */
    private void show(AccountInfo a) {
        if (a.password() != null) {
            shown.setText("Password of " + a.name() + ": " + a.password() + " (shown this once; pass it on now)");
        }
    }

    /** Runs a change as an operator; what it refuses is shown beside the form or on its field. */
    private void act(Runnable change) {
        shown.setText("");
        message.setText("");
        name.setInvalid(false);
        role.setInvalid(false);
        password.setInvalid(false);
        try {
            Access.asOperator(change);
        } catch (InvalidRequestException e) {
            for (Violation v : e.violations()) {
                switch (v.field()) {
                    case "name" -> invalid(name, v.reason());
                    case "role" -> invalid(role, v.reason());
                    case "password" -> invalid(password, v.reason());
                    default -> message.setText(v.field() + ": " + v.reason());
                }
            }
        } catch (ConflictException | NotFoundException | SecurityException e) {
            message.setText(e.getMessage());
        }
        refresh();
    }

    private static void invalid(com.vaadin.flow.component.HasValidation field, String reason) {
        field.setErrorMessage(reason);
        field.setInvalid(true);
    }

    private void refresh() {
        List<AccountInfo> all = accounts.list();
        grid.setItems(all);
    }
}
