/**
 * Internals of pprocess-java, not API: facts about this machine (cores) shared by the packages below.
 */
package io.pprocess.internal;
