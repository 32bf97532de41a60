package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.sluice.boot.SecretBox;

@Service
@Command(
        scope = "sluice",
        name = "encrypt",
        description = "Encrypts a secret for a configuration file in etc/ (prints ENC(...))")
public class EncryptCommand implements Action {

    @Reference
    private SecretBox box;

    @Reference
    private Session session;

    @Override
    public Object execute() throws Exception {
        String secret = session.readLine("Secret to encrypt: ", '*');
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("nothing to encrypt");
        }
        System.out.println(box.encrypt(secret));
        return null;
    }
}
