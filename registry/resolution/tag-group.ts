/**
 * Why a provider fails an OR group of tags (`[a, b]` in a dependency's tags), or undefined when
 * it passes. The predecessor's operators keep their meaning inside a group: `+a` is an
 * alternative that also ranks its carriers higher (scored with the other preferred tags), `-a`
 * excludes its carriers. A group with only `-` entries sets no alternative to carry.
 */
export function tagGroupRejection(
  group: readonly string[],
  carried: readonly string[],
): string | undefined {
  const alternatives: string[] = [];
  for (const option of group) {
    if (option.startsWith('-')) {
      if (carried.includes(option.slice(1))) return `has excluded tag ${option.slice(1)}`;
    } else {
      alternatives.push(option.startsWith('+') ? option.slice(1) : option);
    }
  }
  if (alternatives.length > 0 && !alternatives.some((option) => carried.includes(option))) {
    return `has none of the tags ${alternatives.join(', ')}`;
  }
  return undefined;
}
