package dev.registrymesh.auth.token;

import dev.registrymesh.common.auth.Access;
import java.util.ArrayList;
import java.util.List;

/**
 * The access a token carries: what was asked, intersected with what index-service granted. Asking for more
 * than allowed is not an error, it just yields less; resources nobody granted are left out.
 */
public final class Grants {
    private Grants() {
    }

    public static List<Access> intersect(List<Access> requested, List<Access> granted) {
        List<Access> out = new ArrayList<>();
        for (Access asked : requested) {
            List<String> grantedActions = new ArrayList<>();
            for (Access g : granted) {
                if (g.sameResource(asked)) {
                    grantedActions.addAll(g.actions());
                }
            }
            if (grantedActions.isEmpty()) {
                continue;
            }
            Access grant = new Access(asked.type(), asked.name(), grantedActions);
            List<String> actions = new ArrayList<>();
            if (asked.actions().contains(Access.ALL)) {
                // "*" asks for everything the caller has; keep what was granted.
                actions.addAll(grant.actions());
            } else {
                for (String action : asked.actions()) {
                    if (grant.allows(action)) {
                        actions.add(action);
                    }
                }
            }
            if (!actions.isEmpty()) {
                out.add(new Access(asked.type(), asked.name(), actions));
            }
        }
        return out;
    }
}
