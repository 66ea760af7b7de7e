/**
 * Deepest element nesting a page's tree may have, as in Blink's HTML parser
 * (kMaximumHTMLParserDOMTreeDepth = 512).
 *
 * Why a cap at all: every tree builder here walks its stack of open elements
 * for each tag (parse5's "has a p element in button scope"; htmlparser2's
 * Array#unshift), so nesting costs O(depth) a tag: 10,000 nested <div>s take
 * parse5 half a second, 50,000 fifteen seconds. Real pages stay far below 512.
 */
export const MAX_DEPTH = 512;
