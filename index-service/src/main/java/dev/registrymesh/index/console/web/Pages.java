package dev.registrymesh.index.console.web;

import dev.registrymesh.index.console.ImageInspector;
import dev.registrymesh.index.console.MirrorStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The console's templates (src/main/resources/templates/console), type-checked at build time. */
@CheckedTemplate(basePath = "console")
public final class Pages {
    private Pages() {
    }

    public static native TemplateInstance home(Me me, List<Rows.Repo> repositories, List<Rows.NamespaceRow> namespaces);

    public static native TemplateInstance search(Me me, String query, List<Rows.Repo> results, int total);

    public static native TemplateInstance signIn(Me me, String csrf, String next, String username, String error);

    public static native TemplateInstance repository(Me me, Rows.Repo repo, List<ImageInspector.TagRow> tags, boolean manage,
                                                     String pullCommand, String problem);

    public static native TemplateInstance image(Me me, Rows.Repo repo, ImageInspector.Image image);

    public static native TemplateInstance namespace(Me me, String namespace, String kind, List<Rows.Repo> repositories,
                                                    boolean owner, boolean canPush, List<String> owners, List<Rows.TeamRow> teams,
                                                    List<Rows.RobotRow> robots, Rows.Secret secret);

    public static native TemplateInstance tokens(Me me, List<Rows.TokenRow> tokens, Rows.Secret secret);

    public static native TemplateInstance users(Me me, List<Rows.UserRow> users);

    public static native TemplateInstance mirror(Me me, MirrorStatus.Status status, MirrorStatus.PrefetchResult result);

    public static native TemplateInstance error(Me me, int status, String title, String message);
}
