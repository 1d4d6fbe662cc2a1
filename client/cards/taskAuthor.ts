/**
 * Who promotes a card to a task: the participant id, or the role for facilitator and viewer. The
 * author comes from the board's identity through a context, as cards do not carry it; its own
 * module so the board and the permission hook need not load the promote button itself.
 */
import { createContext } from 'react'

export const TaskAuthorContext = createContext<string>('')
