/** REINFORCE: a policy gradient over a space's encoding, learning which choices earn accuracy. */
package org.cellforge.controller.reinforce;
