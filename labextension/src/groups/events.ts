/**
 * "The groups changed", so the Groups list in the sidebar and the open group
 * editors follow what the editors and the commands do without being refreshed
 * by hand. One per plugin, handed to the views that change or show groups.
 */
import { Changes } from '../ui/changes';

export class GroupChanges extends Changes {}
